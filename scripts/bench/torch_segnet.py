#!/usr/bin/env python3
"""PyTorch replica of our SegNet-mini, timed the way `pnpm bench train` times ours.

A CPU reference point for "CPU training step at or below PyTorch's" (ratio <= 1.0): same shapes, same layer
order, same loss and optimizer, on the same machine. Run with /usr/bin/python3 (Debian's
python3-torch); a pyenv python on PATH usually has no torch.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTHS = [16, 32, 64, 64]
CLASSES = 20
MODES = ("switch", "ratio", "nearest")


def conv_bn_relu(cin, cout):
    # No conv bias: the BN offset subsumes it (as in our model). eps/momentum match our BN.
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1), nn.ReLU(inplace=True)]


def ratio_unpool(y, x, p):
    # Divide at pooled size, then upsample: 4x fewer divisions than dividing after upsampling.
    zero = p == 0
    r = torch.where(zero, torch.zeros_like(y), y / torch.where(zero, torch.ones_like(p), p))
    return F.interpolate(r, scale_factor=2, mode="nearest") * x


class SegNetMini(nn.Module):
    def __init__(self, unpool):
        super().__init__()
        self.unpool = unpool
        self.enc = nn.ModuleList()
        for b, w in enumerate(WIDTHS):
            cin = 3 if b == 0 else WIDTHS[b - 1]
            self.enc.append(nn.Sequential(*conv_bn_relu(cin, w), *conv_bn_relu(w, w)))
        # dec[b] mirrors enc[b]; applied deepest first.
        self.dec = nn.ModuleList()
        for b, w in enumerate(WIDTHS):
            out = WIDTHS[b - 1] if b > 0 else WIDTHS[0]
            self.dec.append(nn.Sequential(*conv_bn_relu(w, w), *conv_bn_relu(w, out)))
        self.cls = nn.Conv2d(WIDTHS[0], CLASSES, 1, bias=True)

    def forward(self, h):
        skips = []
        for block in self.enc:
            x = block(h)
            if self.unpool == "switch":
                h, idx = F.max_pool2d(x, 2, 2, return_indices=True)
            else:
                h, idx = F.max_pool2d(x, 2, 2), None
            skips.append((x, h, idx))
        for b in reversed(range(len(WIDTHS))):
            x, p, idx = skips[b]
            if self.unpool == "switch":
                h = F.max_unpool2d(h, idx, 2, 2, output_size=x.shape[-2:])
            elif self.unpool == "ratio":
                h = ratio_unpool(h, x, p)
            else:
                h = F.interpolate(h, scale_factor=2, mode="nearest")
            h = self.dec[b](h)
        return self.cls(h)


def bench_mode(unpool, a):
    torch.manual_seed(0)
    model = SegNetMini(unpool)
    images = torch.rand(a.batch, 3, a.height, a.width)
    labels = torch.randint(0, CLASSES, (a.batch, a.height, a.width))
    weights = torch.ones(CLASSES)  # uniform class weights, like the bench's uniformWeights(20)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(images), labels, weight=weights)
        loss.backward()
        opt.step()
        return loss.item()  # forces the step to finish before the clock stops

    model.train()
    samples = []
    for i in range(a.warmup + a.reps):
        t0 = time.perf_counter()
        loss = step()
        if i >= a.warmup:
            samples.append((time.perf_counter() - t0) * 1000)
    if not torch.isfinite(torch.tensor(loss)):
        raise SystemExit(f"torch_segnet: {unpool} loss is not finite ({loss})")

    model.eval()
    fwd = []
    with torch.no_grad():
        for i in range(1 + a.reps):  # one warmup, as our bench does for forward
            t0 = time.perf_counter()
            model(images).sum().item()
            if i >= 1:
                fwd.append((time.perf_counter() - t0) * 1000)
    return {"unpool": unpool, "trainStepMs": statistics.median(samples), "forwardMs": statistics.median(fwd), "trainSamplesMs": samples}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unpool", default="switch,ratio", help="comma list of switch,ratio,nearest")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--height", type=int, default=64)
    ap.add_argument("--width", type=int, default=192)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--out", help="write results JSON here")
    ap.add_argument("--param-shapes", action="store_true",
                    help="print the replica's trainable parameter and BN running-statistic shapes as JSON and exit "
                         "(the test that holds it to our SegNet plan)")
    a = ap.parse_args()
    if a.param_shapes:
        m = SegNetMini("ratio")
        stats = [list(b.shape) for n, b in m.named_buffers() if n.endswith(("running_mean", "running_var"))]
        print(json.dumps({"trainable": [list(p.shape) for p in m.parameters()], "runningStats": stats}))
        return
    modes = [m.strip() for m in a.unpool.split(",") if m.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        ap.error(f"--unpool: unknown mode(s) {bad}, expected some of {','.join(MODES)}")
    div = 2 ** len(WIDTHS)
    if a.height % div or a.width % div:
        ap.error(f"--height/--width must be divisible by {div}")

    torch.set_num_threads(a.threads)
    rows = [bench_mode(m, a) for m in modes]

    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads, batch {a.batch}, {a.height}x{a.width}")
    print(f"{'unpool':<8} {'train step ms':>13} {'forward ms':>10}")
    for r in rows:
        print(f"{r['unpool']:<8} {r['trainStepMs']:>13.1f} {r['forwardMs']:>10.1f}")
    if a.out:
        doc = {"tool": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
               "batch": a.batch, "height": a.height, "width": a.width, "rows": rows}
        with open(a.out, "w") as f:
            json.dump(doc, f, indent=2)
        print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
