"""`keras-gan serve`: a TF-Serving-compatible model server, with TF-Serving's flag names."""

import argparse
import sys


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve exported SavedModels over TF-Serving's gRPC and REST APIs",
        description="Serve BASE/NAME/VERSION SavedModels (from `keras-gan export savedmodel`) "
        "with TensorFlow Serving's gRPC (PredictionService, ModelService) and REST APIs. New "
        "versions are loaded without a restart; SIGTERM drains requests in flight.",
    )
    parser.add_argument("--port", type=int, default=8500, help="gRPC port (0: any free port)")
    parser.add_argument(
        "--rest_api_port", type=int, default=8501, help="REST port (0: no REST API)"
    )
    parser.add_argument("--model_name", default="default", help="name of the served model")
    parser.add_argument("--model_base_path", default=None, help="folder of version folders")
    parser.add_argument(
        "--model_config_file", default=None, help="a models.config (ModelServerConfig text)"
    )
    parser.add_argument(
        "--enable_batching",
        type=_bool,
        nargs="?",
        const=True,
        default=False,
        help="combine concurrent requests into batches",
    )
    parser.add_argument(
        "--batching_parameters_file", default=None, help="BatchingParameters text file"
    )
    parser.add_argument(
        "--file_system_poll_wait_seconds",
        type=float,
        default=1.0,
        help="seconds between looks for new versions (0: look once)",
    )
    parser.add_argument(
        "--rest_api_timeout_in_ms", type=int, default=30000, help="deadline of a REST request"
    )
    parser.add_argument(
        "--enable_model_warmup",
        type=_bool,
        nargs="?",
        const=True,
        default=True,
        help="replay assets.extra/tf_serving_warmup_requests before serving a version",
    )
    parser.add_argument("--host", default="0.0.0.0", help="interface to listen on")
    parser.add_argument(
        "--max_request_bytes",
        type=int,
        default=64 * 1024 * 1024,
        help="largest gRPC message / REST body accepted",
    )
    parser.add_argument(
        "--max_image_pixels",
        type=int,
        default=4096 * 4096,
        help="largest image (height x width) accepted",
    )
    parser.add_argument(
        "--grace_period_seconds",
        type=float,
        default=10.0,
        help="on SIGTERM, how long requests in flight may finish",
    )
    parser.add_argument(
        "--num_threads",
        type=int,
        default=None,
        help="threads that run the models: the one bounded path into TensorFlow "
        "(default: the CPU count, at least 2; concurrent calls of srgan_photos_x4 crash "
        "TensorFlow's oneDNN kernels: serve it with 1, see the README)",
    )
    parser.add_argument(
        "--monitoring_config_file",
        default=None,
        help="a MonitoringConfig text file; prometheus_config { enable: true } serves "
        "Prometheus metrics on the REST port (default path /monitoring/prometheus/metrics)",
    )
    parser.add_argument(
        "--model_memory_budget_mb",
        action="append",
        default=[],
        metavar="MB|NAME=MB",
        help="memory budget of each model (MB), or of model NAME (repeat the flag); "
        "larger requests are refused, concurrent ones wait (default: 1/4 of the RAM)",
    )
    parser.add_argument(
        "--max_waiting_requests",
        type=int,
        default=64,
        help="requests per model that may wait for memory (more: RESOURCE_EXHAUSTED)",
    )
    parser.add_argument(
        "--supervise",
        type=_bool,
        nargs="?",
        const=True,
        default=True,
        help="run the server in a child process and restart it (reporting how it died) "
        "if it ever crashes; SIGTERM is passed on and drains it",
    )
    parser.add_argument(
        "--tile_size",
        type=int,
        default=192,
        help="input side of the tiles super-resolution models run large images in",
    )
    parser.add_argument(
        "--tile_margin", type=int, default=24, help="context pixels each tile reads past its part"
    )
    parser.set_defaults(run=run)


def memory_budgets(values: list[str]) -> tuple[int | None, dict[str, int]]:
    """`(default bytes or None, {model name: bytes})` of the --model_memory_budget_mb flags."""
    default, per_model = None, {}
    for value in values:
        name, _, amount = value.rpartition("=")
        try:
            megabytes = float(amount)
        except ValueError:
            megabytes = -1.0
        if megabytes <= 0:
            raise ValueError(
                f"--model_memory_budget_mb takes MB or NAME=MB with MB > 0. Received: {value!r}"
            )
        if name:
            per_model[name] = int(megabytes * 2**20)
        else:
            default = int(megabytes * 2**20)
    return default, per_model


def server_from_args(args: argparse.Namespace):
    """The `ModelServer` the flags describe (not started)."""
    from keras_gan.serving.server import ModelServer

    if (args.model_config_file is None) == (args.model_base_path is None):
        raise ValueError("Give exactly one of --model_base_path or --model_config_file.")
    if args.batching_parameters_file and not args.enable_batching:
        raise ValueError("--batching_parameters_file needs --enable_batching.")
    default_budget, budgets = memory_budgets(args.model_memory_budget_mb)
    return ModelServer(
        args.model_config_file,
        model_name=args.model_name,
        model_base_path=args.model_base_path,
        port=args.port,
        rest_api_port=args.rest_api_port or None,
        host=args.host,
        enable_batching=args.enable_batching,
        batching_parameters=args.batching_parameters_file,
        file_system_poll_wait_seconds=args.file_system_poll_wait_seconds,
        rest_api_timeout_in_ms=args.rest_api_timeout_in_ms,
        max_request_bytes=args.max_request_bytes,
        max_image_pixels=args.max_image_pixels,
        enable_model_warmup=args.enable_model_warmup,
        grace_period_seconds=args.grace_period_seconds,
        num_threads=args.num_threads,
        monitoring_config=args.monitoring_config_file,
        model_memory_budget_bytes=default_budget,
        memory_budgets=budgets,
        max_waiting_requests=args.max_waiting_requests,
        tile=args.tile_size,
        tile_margin=args.tile_margin,
    )


def run(args: argparse.Namespace) -> int:
    if args.supervise:
        from keras_gan.serving.supervisor import supervise

        child, skip = [], False
        for arg in args.argv:  # the same flags, minus --supervise [VALUE]
            if skip and arg.lower() in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                skip = False
                continue
            skip = arg == "--supervise"
            if not arg.startswith("--supervise"):
                child.append(arg)
        return supervise([sys.executable, "-m", "keras_gan.cli.main", *child, "--supervise=false"])
    server = server_from_args(args)
    try:
        return server.serve_forever()
    except OSError as error:  # a port in use: one line, as for every bad flag
        print(f"keras-gan serve: error: {error}", file=sys.stderr)
        return 2
