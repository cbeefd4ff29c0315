"""`keras-gan make-data photo-pairs|photos|fashion-unpaired|digits --out DIR`: build a sample set
offline."""

import argparse


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "make-data",
        help="build an image-to-image training set from real data installed offline",
        description="Write a Pix2Pix or CycleGAN training set, with a manifest.json; "
        "nothing is downloaded.",
    )
    sets = parser.add_subparsers(dest="data_set", required=True)

    photo = sets.add_parser(
        "photo-pairs",
        help="aligned grayscale -> colour photo pairs (Pix2Pix): OUT/train, OUT/test",
        description="Crops of sample photos shipped by scikit-image, scikit-learn and the "
        "Debian packages opencv-doc, plasma-workspace-wallpapers, mate-backgrounds and "
        "darknet, whole photos held out for test.",
    )
    photo.add_argument("--out", required=True, help="the folder to write")
    photo.add_argument("--crop-size", type=int, default=128)
    photo.add_argument("--crops-per-photo", type=int, default=32)
    photo.add_argument("--test-fraction", type=float, default=0.2, help="share of photos")
    photo.add_argument("--seed", type=int, default=0)
    photo.add_argument("--overwrite", action="store_true", help="replace an earlier build")
    photo.set_defaults(run=run_photo_pairs)

    photos = sets.add_parser(
        "photos",
        help="whole colour photos for super-resolution, colorization, style: OUT/train, OUT/test",
        description="The photo-pairs sources as whole photos (downscaled to --max-side), the "
        "same photos held out for test.",
    )
    photos.add_argument("--out", required=True, help="the folder to write")
    photos.add_argument("--max-side", type=int, default=1024, help="longest side written")
    photos.add_argument("--test-fraction", type=float, default=0.2, help="share of photos")
    photos.add_argument("--seed", type=int, default=0)
    photos.add_argument("--overwrite", action="store_true", help="replace an earlier build")
    photos.set_defaults(run=run_photos)

    fashion = sets.add_parser(
        "fashion-unpaired",
        help="two Fashion-MNIST classes (CycleGAN): OUT/trainA, trainB, testA, testB",
        description="Images of two Fashion-MNIST classes in the CycleGAN layout.",
    )
    fashion.add_argument("--out", required=True, help="the folder to write")
    fashion.add_argument("--class-a", default="Sneaker", help="a class name or label 0..9")
    fashion.add_argument("--class-b", default="Ankle boot", help="a class name or label 0..9")
    fashion.add_argument("--per-class-train", type=int, default=1000)
    fashion.add_argument("--per-class-test", type=int, default=200)
    fashion.add_argument("--image-size", type=int, default=32)
    fashion.add_argument("--seed", type=int, default=0)
    fashion.add_argument("--overwrite", action="store_true", help="replace an earlier build")
    fashion.set_defaults(run=run_fashion_unpaired)

    digits = sets.add_parser(
        "digits",
        help="printed digits (A) -> handwritten digits (B) (DTN): OUT/trainA, testA, trainB, "
        "testB, one sub-folder per digit",
        description="Street-number-like digits printed with the installed fonts (whole "
        "typefaces held out for testA) and scikit-learn's handwritten digits at 32x32.",
    )
    digits.add_argument("--out", required=True, help="the folder to write")
    digits.add_argument("--train-images", type=int, default=20000, help="printed, trainA/")
    digits.add_argument("--test-images", type=int, default=2000, help="printed, testA/")
    digits.add_argument("--test-fraction", type=float, default=0.2, help="share held out")
    digits.add_argument("--font", action="append", help="a font file (repeat; default: all)")
    digits.add_argument("--seed", type=int, default=0)
    digits.add_argument("--overwrite", action="store_true", help="replace an earlier build")
    digits.set_defaults(run=run_digits)


def run_photo_pairs(args: argparse.Namespace) -> int:
    from keras_gan.data.sample_sets import build_photo_pairs

    manifest = build_photo_pairs(
        args.out,
        crop_size=args.crop_size,
        crops_per_photo=args.crops_per_photo,
        test_fraction=args.test_fraction,
        seed=args.seed,
        overwrite=args.overwrite,
    )
    counts = manifest["counts"]
    print(
        f"Wrote {counts['train']['files']} training pairs from {counts['train']['photos']} "
        f"photos and {counts['test']['files']} test pairs from {counts['test']['photos']} "
        f"photos to {args.out} (see manifest.json)"
    )
    return 0


def run_photos(args: argparse.Namespace) -> int:
    from keras_gan.data.sample_sets import build_photo_folder

    manifest = build_photo_folder(
        args.out,
        max_side=args.max_side,
        test_fraction=args.test_fraction,
        seed=args.seed,
        overwrite=args.overwrite,
    )
    counts = manifest["counts"]
    print(
        f"Wrote {counts['train']} training photos and {counts['test']} held-out photos to "
        f"{args.out} (see manifest.json)"
    )
    return 0


def run_fashion_unpaired(args: argparse.Namespace) -> int:
    from keras_gan.data.sample_sets import build_fashion_unpaired

    class_a, class_b = (int(c) if c.isdigit() else c for c in (args.class_a, args.class_b))
    manifest = build_fashion_unpaired(
        args.out,
        class_a=class_a,
        class_b=class_b,
        per_class_train=args.per_class_train,
        per_class_test=args.per_class_test,
        image_size=args.image_size,
        seed=args.seed,
        overwrite=args.overwrite,
    )
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    print(
        f"Wrote {manifest['class_a']} (A) and {manifest['class_b']} (B) images to "
        f"{args.out}: {counts} (see manifest.json)"
    )
    return 0


def run_digits(args: argparse.Namespace) -> int:
    from keras_gan.data.sample_sets import build_digit_domains

    manifest = build_digit_domains(
        args.out,
        train_images=args.train_images,
        test_images=args.test_images,
        test_fraction=args.test_fraction,
        seed=args.seed,
        fonts=args.font,
        overwrite=args.overwrite,
    )
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    faces = manifest["typefaces"]
    print(
        f"Wrote printed (A) and handwritten (B) digits to {args.out}: {counts}; "
        f"{len(faces['train'])} training and {len(faces['test'])} held-out typefaces "
        "(see manifest.json)"
    )
    return 0
