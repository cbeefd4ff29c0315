"""PyTorch training throughput of pix2pix and CycleGAN, for comparison with our Keras `fit`.

Measures images/s of one full training step (batch 1, 256x256, train mode, CPU) of
the two models of the reference implementation pytorch-CycleGAN-and-pix2pix:

- pix2pix: `unet_256` generator (batch norm, dropout 0.5) and `basic` 70x70 PatchGAN
  discriminator on 6 channels; vanilla GAN loss (BCE with logits) + 100 * L1.
- CycleGAN: two `resnet_9blocks` generators and two `basic` discriminators, all with
  instance norm; LSGAN loss, cycle lambda 10, identity 0.5 * lambda, 50-image pools.

The networks are written here from the reference's architecture description, for
timing only (no data, no checkpoints); they are checked against the reference by
their parameter counts, which the script asserts. It needs PyTorch, not TensorFlow,
and runs in its own environment:

    python3 -m venv /work/torch-venv
    /work/torch-venv/bin/pip install torch==2.13.0 numpy   # the CPU build
    /work/torch-venv/bin/python bench/torch_reference.py --model all --steps 10 \\
        --out bench/out/torch_reference.json
"""

import argparse
import json
import os
import platform
import random
import statistics
import time

import torch
from torch import nn

IMAGE_SIZE = 256
BATCH_SIZE = 1
LR = 2e-4
BETAS = (0.5, 0.999)

EXPECTED = {
    "pix2pix": {"G": 54_413_955, "D": 2_768_705},
    "cyclegan": {"G_AB": 11_378_179, "G_BA": 11_378_179, "D_A": 2_764_737, "D_B": 2_764_737},
}


def count(module):
    return sum(p.numel() for p in module.parameters())


def init_normal(module):
    """The reference's `normal` init: N(0, 0.02) weights, N(1, 0.02) batch-norm scales."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d | nn.ConvTranspose2d):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return module


# ---------------------------------------------------------------- networks


class UNet256(nn.Module):
    """U-Net with 8 stride-2 levels (256 -> 1), skips concatenated at each resolution.

    With batch norm no conv has a bias (the first one included), except the last.
    """

    def __init__(self, in_channels=3, out_channels=3, ngf=64, dropout=0.5):
        super().__init__()
        widths = [ngf, ngf * 2, ngf * 4] + [ngf * 8] * 5  # 8 downsamplings
        self.down = nn.ModuleList()
        previous = in_channels
        for level, width in enumerate(widths):
            layers = []
            if level > 0:
                layers.append(nn.LeakyReLU(0.2))
            layers.append(nn.Conv2d(previous, width, 4, 2, 1, bias=False))
            if 0 < level < len(widths) - 1:  # no norm on the first and the innermost
                layers.append(nn.BatchNorm2d(width))
            self.down.append(nn.Sequential(*layers))
            previous = width

        # Decoder, innermost first: level i goes from widths[i] back to widths[i - 1].
        self.up = nn.ModuleList()
        for level in range(len(widths) - 1, 0, -1):
            innermost = level == len(widths) - 1
            in_width = widths[level] * (1 if innermost else 2)
            layers = [
                nn.ReLU(),
                nn.ConvTranspose2d(in_width, widths[level - 1], 4, 2, 1, bias=False),
                nn.BatchNorm2d(widths[level - 1]),
            ]
            # Dropout in the three 512-wide blocks just outside the innermost one.
            if not innermost and level >= len(widths) - 4:
                layers.append(nn.Dropout(dropout))
            self.up.append(nn.Sequential(*layers))
        self.outermost = nn.Sequential(
            nn.ReLU(),
            nn.ConvTranspose2d(widths[0] * 2, out_channels, 4, 2, 1, bias=True),
            nn.Tanh(),
        )

    def forward(self, x):
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
        x = skips.pop()  # innermost output: its decoder takes no concatenation
        for block in self.up:
            x = torch.cat([skips.pop(), block(x)], dim=1)
        return self.outermost(x)


class ResidualBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1),
            nn.Conv2d(width, width, 3),
            nn.InstanceNorm2d(width),
            nn.ReLU(),
            nn.ReflectionPad2d(1),
            nn.Conv2d(width, width, 3),
            nn.InstanceNorm2d(width),
        )

    def forward(self, x):
        return x + self.body(x)


def resnet_9blocks(in_channels=3, out_channels=3, ngf=64, blocks=9):
    """ResNet generator with instance norm (no affine): convs keep their bias."""
    layers = [
        nn.ReflectionPad2d(3),
        nn.Conv2d(in_channels, ngf, 7),
        nn.InstanceNorm2d(ngf),
        nn.ReLU(),
    ]
    width = ngf
    for _ in range(2):
        layers += [nn.Conv2d(width, width * 2, 3, 2, 1), nn.InstanceNorm2d(width * 2), nn.ReLU()]
        width *= 2
    layers += [ResidualBlock(width) for _ in range(blocks)]
    for _ in range(2):
        layers += [
            nn.ConvTranspose2d(width, width // 2, 3, 2, 1, output_padding=1),
            nn.InstanceNorm2d(width // 2),
            nn.ReLU(),
        ]
        width //= 2
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(width, out_channels, 7), nn.Tanh()]
    return nn.Sequential(*layers)


def patchgan(in_channels, norm, ndf=64):
    """The `basic` 70x70 PatchGAN (3 layers); convs before a batch norm have no bias."""
    bias = norm is nn.InstanceNorm2d
    layers = [nn.Conv2d(in_channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]
    widths = [ndf, ndf * 2, ndf * 4, ndf * 8]
    for i in range(1, 4):
        stride = 2 if i < 3 else 1
        layers += [
            nn.Conv2d(widths[i - 1], widths[i], 4, stride, 1, bias=bias),
            norm(widths[i]),
            nn.LeakyReLU(0.2),
        ]
    layers.append(nn.Conv2d(widths[-1], 1, 4, 1, 1))
    return nn.Sequential(*layers)


def frozen(nets, frozen_state):
    for net in nets:
        for p in net.parameters():
            p.requires_grad_(not frozen_state)


class Pool:
    """The reference's 50-image history of fakes shown to the discriminator."""

    def __init__(self, size=50):
        self.size = size
        self.images = []

    def query(self, image):
        image = image.detach()
        if len(self.images) < self.size:
            self.images.append(image.clone())
            return image
        if random.random() < 0.5:
            i = random.randrange(self.size)
            old, self.images[i] = self.images[i], image.clone()
            return old
        return image


# ---------------------------------------------------------------- models


class Pix2Pix:
    def __init__(self):
        self.G = init_normal(UNet256())
        self.D = init_normal(patchgan(6, nn.BatchNorm2d))
        self.opt_G = torch.optim.Adam(self.G.parameters(), lr=LR, betas=BETAS)
        self.opt_D = torch.optim.Adam(self.D.parameters(), lr=LR, betas=BETAS)
        self.bce = nn.BCEWithLogitsLoss()
        self.l1 = nn.L1Loss()
        self.G.train()
        self.D.train()

    def parameters(self):
        return {"G": count(self.G), "D": count(self.D)}

    def gan(self, logits, real):
        target = torch.ones_like(logits) if real else torch.zeros_like(logits)
        return self.bce(logits, target)

    def step(self, a, b):
        fake = self.G(a)

        frozen([self.D], False)
        self.opt_D.zero_grad()
        loss_d = 0.5 * (
            self.gan(self.D(torch.cat([a, b], 1)), True)
            + self.gan(self.D(torch.cat([a, fake.detach()], 1)), False)
        )
        loss_d.backward()
        self.opt_D.step()

        frozen([self.D], True)
        self.opt_G.zero_grad()
        loss_g = self.gan(self.D(torch.cat([a, fake], 1)), True) + 100.0 * self.l1(fake, b)
        loss_g.backward()
        self.opt_G.step()


class CycleGAN:
    def __init__(self, lambda_cycle=10.0, lambda_identity=0.5):
        self.G_AB = init_normal(resnet_9blocks())
        self.G_BA = init_normal(resnet_9blocks())
        self.D_A = init_normal(patchgan(3, nn.InstanceNorm2d))  # judges domain A
        self.D_B = init_normal(patchgan(3, nn.InstanceNorm2d))  # judges domain B
        g_params = list(self.G_AB.parameters()) + list(self.G_BA.parameters())
        d_params = list(self.D_A.parameters()) + list(self.D_B.parameters())
        self.opt_G = torch.optim.Adam(g_params, lr=LR, betas=BETAS)
        self.opt_D = torch.optim.Adam(d_params, lr=LR, betas=BETAS)
        self.lambda_cycle = lambda_cycle
        self.lambda_identity = lambda_identity
        self.pool_A, self.pool_B = Pool(), Pool()
        self.mse = nn.MSELoss()
        self.l1 = nn.L1Loss()
        for net in (self.G_AB, self.G_BA, self.D_A, self.D_B):
            net.train()

    def parameters(self):
        return {
            "G_AB": count(self.G_AB),
            "G_BA": count(self.G_BA),
            "D_A": count(self.D_A),
            "D_B": count(self.D_B),
        }

    def lsgan(self, out, real):
        return self.mse(out, torch.ones_like(out) if real else torch.zeros_like(out))

    def step(self, a, b):
        fake_b = self.G_AB(a)
        rec_a = self.G_BA(fake_b)
        fake_a = self.G_BA(b)
        rec_b = self.G_AB(fake_a)

        frozen([self.D_A, self.D_B], True)
        self.opt_G.zero_grad()
        lam, lam_idt = self.lambda_cycle, self.lambda_cycle * self.lambda_identity
        loss_g = (
            self.lsgan(self.D_B(fake_b), True)
            + self.lsgan(self.D_A(fake_a), True)
            + lam * self.l1(rec_a, a)
            + lam * self.l1(rec_b, b)
            + lam_idt * self.l1(self.G_AB(b), b)
            + lam_idt * self.l1(self.G_BA(a), a)
        )
        loss_g.backward()
        self.opt_G.step()

        frozen([self.D_A, self.D_B], False)
        self.opt_D.zero_grad()
        for d, real, fake in (
            (self.D_B, b, self.pool_B.query(fake_b)),
            (self.D_A, a, self.pool_A.query(fake_a)),
        ):
            loss_d = 0.5 * (self.lsgan(d(real), True) + self.lsgan(d(fake), False))
            loss_d.backward()
        self.opt_D.step()


MODELS = {"pix2pix": Pix2Pix, "cyclegan": CycleGAN}


# ---------------------------------------------------------------- timing


def machine_info():
    """CPU model and core count (bench/machine.py imports TensorFlow, so not reused)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "gpus": [],
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "platform": platform.platform(),
    }


def measure(name, steps, warmup):
    torch.manual_seed(0)
    random.seed(0)
    model = MODELS[name]()
    parameters = model.parameters()
    assert parameters == EXPECTED[name], f"{name} parameter counts {parameters} != {EXPECTED[name]}"
    shape = (BATCH_SIZE, 3, IMAGE_SIZE, IMAGE_SIZE)
    a = torch.rand(shape) * 2 - 1
    b = torch.rand(shape) * 2 - 1
    for _ in range(warmup):
        model.step(a, b)
    step_seconds = []
    started = time.perf_counter()
    for _ in range(steps):
        t0 = time.perf_counter()
        model.step(a, b)
        step_seconds.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - started
    return {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "device": "cpu",
        "threads": torch.get_num_threads(),
        "images_per_s": round(steps * BATCH_SIZE / seconds, 3),
        "seconds_per_step": round(seconds / steps, 3),
        "seconds_per_step_min": round(min(step_seconds), 3),
        "seconds_per_step_median": round(statistics.median(step_seconds), 3),
        "steps": steps,
        "warmup": warmup,
        "batch_size": BATCH_SIZE,
        "image_size": IMAGE_SIZE,
        "parameters": parameters,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["pix2pix", "cyclegan", "all"], default="all")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="default: torch's own")
    parser.add_argument("--out", default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    names = list(MODELS) if args.model == "all" else [args.model]
    report = {"machine": machine_info()}
    for name in names:
        report[name] = measure(name, args.steps, args.warmup)
        print(f"{name}: {report[name]['images_per_s']} images/s", flush=True)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
