"""`keras-gan serve`: a TF-Serving-compatible model server, with TF-Serving's flag names."""

import argparse


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
    parser.add_argument("--num_threads", type=int, default=None, help="threads running the models")
    parser.set_defaults(run=run)


def server_from_args(args: argparse.Namespace):
    """The `ModelServer` the flags describe (not started)."""
    from keras_gan.serving.server import ModelServer

    if (args.model_config_file is None) == (args.model_base_path is None):
        raise ValueError("Give exactly one of --model_base_path or --model_config_file.")
    if args.batching_parameters_file and not args.enable_batching:
        raise ValueError("--batching_parameters_file needs --enable_batching.")
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
    )


def run(args: argparse.Namespace) -> int:
    return server_from_args(args).serve_forever()
