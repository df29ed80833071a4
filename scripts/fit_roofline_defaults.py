#!/usr/bin/env python3
"""Fit ServeSim's roofline defaults (computeEfficiency, memoryEfficiency, step overheads) to the
real vLLM 0.19 per-layer timings of Llama-3.1-8B BF16 (TP1) in ../shared/data/real_vllm.

Reads the data at run time (it is licensed separately and is not copied into the project):
    python3 scripts/fit_roofline_defaults.py [DATA_DIR]    (default: ../shared/data/real_vllm)

What it computes per GPU (vendor datasheet peak and bandwidth below):
  memoryEfficiency  = weight bytes of the four projection GEMMs of one layer / (time at 1..8
                      tokens x datasheet bandwidth)           (weights-bound regime)
  computeEfficiency = 2 x projection params x tokens / (time at >= 1024 tokens x datasheet peak)
  kernel overhead   = whole-step time from the per-layer tables (32 layers of every op plus
                      attention, embedding, final norm, lm_head, sampler) minus the roofline
                      prediction with the fitted efficiencies, at a decode step of 1 sequence
  CPU overhead      = real bench run (timeseries.csv tail, decode only, no waiting requests):
                      measured step time (running / generated tokens per second) minus the
                      per-layer-table prediction for the same batch and context
The profiles were taken with enforce_eager (no CUDA graphs), so their small-op launch costs are
an upper bound on what a CUDA-graph engine pays per layer.

Note: RTXPRO6000's meta.yaml lists hf_overrides with halved widths (intermediate 7168, 16 heads,
vocab 64128; it also profiled TP2), but its tp1 tables match the full model: gate_up_proj at one
token takes 160 us = 235 MB at 92% of 1597 GB/s, and lm_head 690 us = 1.05 GB at 95%. So the
tp1 tables are treated as full Llama-3.1-8B layers here.
"""
import csv, json, os, sys
import numpy as np

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "real_vllm")
BASE = os.path.join(ROOT, "llmservingsim")

# Llama-3.1-8B (meta-llama/Llama-3.1-8B config.json)
L, H, NH, NKV, HD, I, V = 32, 4096, 32, 8, 128, 14336, 128256
PROJ_PARAMS = H * (NH + 2 * NKV) * HD + NH * HD * H + H * 2 * I + I * H  # 218,103,808 per layer
PROJ_BYTES = 2 * PROJ_PARAMS
KV_PER_TOKEN_LAYER = 2 * NKV * HD * 2  # 4096 bytes
LM_HEAD_BYTES = 2 * H * V

# Datasheet numbers (dense BF16 tensor FLOP/s, bytes/s); sources in Hardware.swift.
GPUS = {
    "RTXPRO6000": dict(peak=503.8e12, bw=1597e9),   # RTX PRO 6000 Blackwell Server Edition
    "RTX4090": dict(peak=165.2e12, bw=1008e9),      # GeForce RTX 4090 (BF16, FP32 accumulate)
}
PROJ_OPS = ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]
SMALL_OPS = {"act_fn": 1, "layernorm": 2, "rotary_emb": 1}  # per decoder layer


def read_table(path, key, x):
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            out.setdefault(r[key], {})[int(r[x])] = float(r["time_us"]) * 1e-6
    return {k: (np.array(sorted(v)), np.array([v[n] for n in sorted(v)])) for k, v in out.items()}


def at(table, op, n):
    xs, ys = table[op]
    return float(np.interp(n, xs, ys))


def fit(gpu):
    spec = GPUS[gpu]
    d = os.path.join(BASE, "profiler/perf", gpu, "meta-llama/Llama-3.1-8B/bf16/tp1")
    dense = read_table(os.path.join(d, "dense.csv"), "layer", "tokens")
    perseq = read_table(os.path.join(d, "per_sequence.csv"), "layer", "sequences")
    att = np.genfromtxt(os.path.join(d, "attention.csv"), delimiter=",", names=True)

    proj = lambda n: sum(at(dense, op, n) for op in PROJ_OPS)
    small = np.median([proj(n) for n in range(1, 9)])
    eff_m = PROJ_BYTES / (small * spec["bw"])
    big = [n for n in dense["qkv_proj"][0] if n >= 1024]
    eff_c = float(np.median([2 * PROJ_PARAMS * n / (proj(n) * spec["peak"]) for n in big]))
    lm_eff_m = LM_HEAD_BYTES / (at(perseq, "lm_head", 1) * spec["bw"])

    # Decode attention: time = c0 + KV bytes / (bw x eff); least squares over decode-only rows.
    dec = att[(att["prefill_chunk"] == 0) & (att["n_decode"] > 0)]
    kvb = dec["n_decode"] * dec["kv_decode"] * KV_PER_TOKEN_LAYER
    A = np.vstack([np.ones_like(kvb), kvb]).T
    (c0, c1), *_ = np.linalg.lstsq(A, dec["time_us"] * 1e-6, rcond=None)
    att_eff_m = 1 / (c1 * spec["bw"])

    def decode_attention(b, ctx_per_seq):
        return c0 + b * ctx_per_seq * KV_PER_TOKEN_LAYER * c1

    def table_step(b, ctx_per_seq):
        per_layer = proj(b) + sum(k * at(dense, op, b) for op, k in SMALL_OPS.items())
        per_layer += decode_attention(b, ctx_per_seq)
        return (L * per_layer + at(dense, "embedding", b) + at(dense, "final_layernorm", b)
                + at(perseq, "lm_head", b) + at(perseq, "sampler", b))

    def roofline_step(b, ctx_per_seq):
        flops = 2 * (L * PROJ_PARAMS + H * V) * b + 4 * L * NH * HD * b * ctx_per_seq
        byts = L * PROJ_BYTES + LM_HEAD_BYTES + L * b * ctx_per_seq * KV_PER_TOKEN_LAYER
        return max(flops / (spec["peak"] * eff_c), byts / (spec["bw"] * eff_m))

    kernel_overhead = {b: table_step(b, 1024) - roofline_step(b, 1024) for b in (1, 16, 64, 128)}

    # Real run: decode-only tail of the bench (no prompt tokens, nobody waiting).
    bench = os.path.join(BASE, "bench/examples", gpu, "Llama-3.1-8B/vllm")
    reqs = [json.loads(l) for l in open(os.path.join(bench, "requests.jsonl"))]
    t0 = min(r["queued_ts"] for r in reqs)
    rows = list(csv.DictReader(open(os.path.join(bench, "timeseries.csv"))))
    cpu = []
    for prev, row in zip(rows, rows[1:]):
        b = (int(prev["running"]) + int(row["running"])) / 2
        gen = float(row["gen_throughput"])
        if float(row["prompt_throughput"]) > 0 or int(row["waiting"]) > 0 or b < 4 or gen <= 0:
            continue
        t = t0 + float(row["t"]) - 0.5
        active = [r for r in reqs if r["first_token_ts"] <= t < r["last_token_ts"]]
        if not active:
            continue
        ctx = np.mean([r["input_toks"] + (t - r["first_token_ts"]) / (r["last_token_ts"] - r["first_token_ts"])
                       * (r["output_toks"] - 1) for r in active])
        measured = b / gen
        cpu.append((b, ctx, measured, table_step(round(b), ctx), roofline_step(b, ctx)))
    return dict(eff_c=eff_c, eff_m=eff_m, lm_eff_m=lm_eff_m, att_eff_m=att_eff_m, att_c0=c0,
                kernel_overhead=kernel_overhead, cpu=cpu)


def main():
    results = {}
    for gpu in GPUS:
        r = fit(gpu)
        results[gpu] = r
        print(f"== {gpu}")
        print(f"  computeEfficiency (projection GEMMs, >=1024 tokens): {r['eff_c']:.3f}")
        print(f"  memoryEfficiency  (projection GEMMs, 1..8 tokens):   {r['eff_m']:.3f}")
        print(f"  lm_head bandwidth efficiency (1 seq):                {r['lm_eff_m']:.3f}")
        print(f"  decode attention: {r['att_c0']*1e6:.1f} us fixed per layer, KV read efficiency {r['att_eff_m']:.3f}")
        for b, o in r["kernel_overhead"].items():
            print(f"  per-layer tables minus roofline, decode B={b:3d} ctx 1k: {o*1e3:6.2f} ms/step")
        if r["cpu"]:
            for b, ctx, m, p, rf in r["cpu"]:
                print(f"  real tail: B={b:5.1f} ctx~{ctx:6.0f} measured {m*1e3:6.2f} ms  tables {p*1e3:6.2f} ms"
                      f"  roofline {rf*1e3:6.2f} ms  measured-tables {(m-p)*1e3:6.2f}  measured-roofline {(m-rf)*1e3:6.2f} ms")
            res = np.median([m - p for _, _, m, p, _ in r["cpu"]])
            tot = np.median([m - rf for _, _, m, _, rf in r["cpu"]])
            print(f"  median residual vs tables (CPU scheduling etc. not in tables): {res*1e3:.2f} ms/step")
            print(f"  median residual vs fitted roofline (what stepOverhead must cover): {tot*1e3:.2f} ms/step")
    effc = np.mean([r["eff_c"] for r in results.values()])
    effm = np.mean([r["eff_m"] for r in results.values()])
    print(f"== mean over GPUs: computeEfficiency {effc:.3f}, memoryEfficiency {effm:.3f}")


if __name__ == "__main__":
    main()
