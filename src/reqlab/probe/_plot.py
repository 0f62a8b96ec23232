"""``reqlab bench --plot``: the two latency distributions (matplotlib, optional)."""

from __future__ import annotations

from typing import Any


def plot_latencies(result: Any, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    for run, colour in ((result.reuse, "tab:green"), (result.fresh, "tab:red")):
        data = sorted(run.latencies)
        if not data:
            continue
        fractions = [(i + 1) / len(data) for i in range(len(data))]
        label = f"{'with' if run.mode == 'reuse' else 'without'} reuse (p50 {run.percentile(50):.2f} ms)"
        ax.plot(data, fractions, label=label, color=colour)
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("fraction of requests")
    ax.set_title(f"{result.url}: connection reuse")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
