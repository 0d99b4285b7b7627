# The Python `nir` package (pinned in test/peers/requirements.txt) beside glia's NIR import and export, for
# test/peers/nir-live.test.ts. In: `make OUTDIR` or `dump FILE.nir`; out: `make` writes small NIR files built from
# nir's own node classes (a LIF chain, a recurrent CubaLIF net, a CNN with a nested readout graph, a net of the
# remaining primitives) with nir.write; `dump` reads a file with nir.read and prints its nodes' types and
# parameters and its edges as JSON.
import json
import sys

import numpy as np
import nir

ONES = np.ones


def lif_chain():
    rng = np.random.default_rng(1)
    nodes = {
        "in": nir.Input(input_type={"input": np.array([3])}),
        "fc1": nir.Linear(weight=rng.uniform(0.2, 0.9, (4, 3))),
        "lif1": nir.LIF(tau=ONES(4) * 0.01, r=ONES(4) * 2.0, v_leak=ONES(4) * 0.1, v_threshold=ONES(4), v_reset=np.zeros(4)),
        "fc2": nir.Linear(weight=rng.uniform(0.3, 0.8, (2, 4))),
        "lif2": nir.LIF(tau=ONES(2) * 0.02, r=ONES(2), v_leak=np.zeros(2), v_threshold=ONES(2) * 0.5, v_reset=np.zeros(2)),
        "out": nir.Output(output_type={"output": np.array([2])}),
    }
    # out of topological order on purpose
    edges = [("lif2", "out"), ("fc2", "lif2"), ("in", "fc1"), ("lif1", "fc2"), ("fc1", "lif1")]
    return nir.NIRGraph(nodes=nodes, edges=edges)


def cuba_recurrent():
    rng = np.random.default_rng(2)
    n = 3
    rec = rng.uniform(-0.3, 0.6, (n, n))
    nodes = {
        "in": nir.Input(input_type={"input": np.array([2])}),
        "aff": nir.Affine(weight=rng.uniform(0.5, 1.5, (n, 2)), bias=np.array([0.0, 0.2, 0.1])),
        "cuba": nir.CubaLIF(
            tau_mem=ONES(n) * 0.02,
            tau_syn=ONES(n) * 0.005,
            r=ONES(n),
            v_leak=np.zeros(n),
            v_threshold=ONES(n) * 0.4,
            v_reset=np.zeros(n),
            w_in=ONES(n) * 2.0,
        ),
        "rec": nir.Linear(weight=rec),
        "out": nir.Output(output_type={"output": np.array([n])}),
    }
    edges = [("cuba", "rec"), ("in", "aff"), ("rec", "cuba"), ("aff", "cuba"), ("cuba", "out")]
    return nir.NIRGraph(nodes=nodes, edges=edges)


def cnn():
    rng = np.random.default_rng(3)
    readout = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([2, 3, 3])}),
            "flat": nir.Flatten(input_type={"input": np.array([2, 3, 3])}, start_dim=0, end_dim=-1),
            "fc": nir.Affine(weight=rng.uniform(-0.2, 0.8, (4, 18)), bias=np.zeros(4)),
            "lif": nir.LIF(tau=ONES(4) * 0.02, r=ONES(4), v_leak=np.zeros(4), v_threshold=ONES(4) * 0.6, v_reset=np.zeros(4)),
            "output": nir.Output(output_type={"output": np.array([4])}),
        },
        edges=[("flat", "fc"), ("input", "flat"), ("lif", "output"), ("fc", "lif")],
    )
    nodes = {
        "in": nir.Input(input_type={"input": np.array([1, 6, 6])}),
        "conv": nir.Conv2d(
            input_shape=(6, 6),
            weight=rng.uniform(-0.3, 1.0, (2, 1, 3, 3)),
            stride=1,
            padding=1,
            dilation=1,
            groups=1,
            bias=np.zeros(2),
        ),
        "lif": nir.LIF(
            tau=ONES((2, 6, 6)) * 0.01,
            r=ONES((2, 6, 6)),
            v_leak=np.zeros((2, 6, 6)),
            v_threshold=ONES((2, 6, 6)) * 0.8,
            v_reset=np.zeros((2, 6, 6)),
        ),
        "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
        "readout": readout,
        "out": nir.Output(output_type={"output": np.array([4])}),
    }
    edges = [("readout", "out"), ("pool", "readout"), ("in", "conv"), ("conv", "lif"), ("lif", "pool")]
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)


def others():
    rng = np.random.default_rng(4)
    nodes = {
        "in": nir.Input(input_type={"input": np.array([4])}),
        "scale": nir.Scale(scale=np.array([1.0, 2.0, 3.0, 4.0])),
        "if": nir.IF(r=ONES(4) * 100.0, v_threshold=ONES(4), v_reset=np.zeros(4)),
        "lin": nir.Linear(weight=rng.uniform(0.1, 1.0, (2, 4))),
        "delay": nir.Delay(delay=np.array([0.002, 0.005])),
        "li": nir.LI(tau=ONES(2) * 0.01, r=ONES(2), v_leak=np.zeros(2)),
        "aff": nir.Affine(weight=rng.uniform(0.1, 1.0, (3, 4)), bias=np.zeros(3)),
        "thr": nir.Threshold(threshold=ONES(3) * 0.5),
        "lin2": nir.Linear(weight=rng.uniform(0.1, 1.0, (2, 4))),
        "integ": nir.I(r=ONES(2)),
        "out_li": nir.Output(output_type={"output": np.array([2])}),
        "out_thr": nir.Output(output_type={"output": np.array([3])}),
        "out_i": nir.Output(output_type={"output": np.array([2])}),
    }
    edges = [
        ("in", "scale"), ("scale", "if"), ("if", "lin"), ("lin", "delay"), ("delay", "li"), ("li", "out_li"),
        ("if", "aff"), ("aff", "thr"), ("thr", "out_thr"), ("if", "lin2"), ("lin2", "integ"), ("integ", "out_i"),
    ]
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)


def lif_pulse():
    """One LIF driven through a unit weight by one input: the conventions' test."""
    nodes = {
        "in": nir.Input(input_type={"input": np.array([1])}),
        "w": nir.Linear(weight=np.array([[0.4]])),
        "lif": nir.LIF(tau=np.array([0.005]), r=np.array([5.0]), v_leak=np.array([0.0]), v_threshold=np.array([1.0]), v_reset=np.array([0.0])),
        "out": nir.Output(output_type={"output": np.array([1])}),
    }
    return nir.NIRGraph(nodes=nodes, edges=[("in", "w"), ("w", "lif"), ("lif", "out")])


def conv1d_same():
    """Conv1d with padding "same", then a CubaLI readout (v recorded)."""
    rng = np.random.default_rng(5)
    nodes = {
        "in": nir.Input(input_type={"input": np.array([1, 8])}),
        "conv": nir.Conv1d(input_shape=8, weight=rng.uniform(0.2, 1.0, (2, 1, 3)), stride=1, padding="same",
                           dilation=1, groups=1, bias=np.zeros(2)),
        "lif": nir.LIF(tau=ONES((2, 8)) * 0.01, r=ONES((2, 8)), v_leak=np.zeros((2, 8)),
                       v_threshold=ONES((2, 8)) * 0.5, v_reset=np.zeros((2, 8))),
        "flat": nir.Flatten(input_type={"input": np.array([2, 8])}, start_dim=0, end_dim=-1),
        "fc": nir.Linear(weight=rng.uniform(0.0, 0.5, (2, 16))),
        "cli": nir.CubaLI(tau_mem=ONES(2) * 0.02, tau_syn=ONES(2) * 0.005, r=ONES(2), v_leak=np.zeros(2), w_in=ONES(2)),
        "out": nir.Output(output_type={"output": np.array([2])}),
    }
    edges = [("in", "conv"), ("conv", "lif"), ("lif", "flat"), ("flat", "fc"), ("fc", "cli"), ("cli", "out")]
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)


def avgpool():
    """Conv2d with stride 2, AvgPool2d, an IF layer."""
    rng = np.random.default_rng(6)
    nodes = {
        "in": nir.Input(input_type={"input": np.array([1, 8, 8])}),
        "conv": nir.Conv2d(input_shape=(8, 8), weight=rng.uniform(0.2, 1.0, (2, 1, 2, 2)), stride=2, padding=0,
                           dilation=1, groups=1, bias=np.array([0.1, 0.0])),
        "if": nir.IF(r=ONES((2, 4, 4)), v_threshold=ONES((2, 4, 4)) * 0.5, v_reset=np.zeros((2, 4, 4))),
        "pool": nir.AvgPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
        "flat": nir.Flatten(input_type={"input": np.array([2, 2, 2])}, start_dim=0, end_dim=-1),
        "fc": nir.Linear(weight=rng.uniform(0.5, 1.0, (3, 8))),
        "lif": nir.LIF(tau=ONES(3) * 0.02, r=ONES(3), v_leak=np.zeros(3), v_threshold=ONES(3) * 0.05, v_reset=np.zeros(3)),
        "out": nir.Output(output_type={"output": np.array([3])}),
    }
    edges = [("in", "conv"), ("conv", "if"), ("if", "pool"), ("pool", "flat"), ("flat", "fc"), ("fc", "lif"), ("lif", "out")]
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)


def lif_per_neuron():
    """A LIF layer whose neurons differ: per-neuron tau and v_threshold (NIR's arrays)."""
    rng = np.random.default_rng(7)
    n = 6
    tau = np.linspace(0.004, 0.014, n)
    nodes = {
        "in": nir.Input(input_type={"input": np.array([2])}),
        "fc": nir.Linear(weight=rng.uniform(0.3, 0.6, (n, 2)) * tau[:, None]),
        "lif": nir.LIF(tau=tau, r=ONES(n), v_leak=np.zeros(n), v_threshold=np.array([0.5, 0.7, 0.9, 0.6, 0.8, 1.0]),
                       v_reset=np.zeros(n)),
        "out": nir.Output(output_type={"output": np.array([n])}),
    }
    return nir.NIRGraph(nodes=nodes, edges=[("lif", "out"), ("in", "fc"), ("fc", "lif")])


def to_json(v):
    if isinstance(v, np.ndarray):
        return {"shape": list(v.shape), "data": [float(x) for x in v.reshape(-1)]}
    if isinstance(v, (int, float, np.integer, np.floating)):
        return {"shape": [], "data": [float(v)]}
    return None


def dump(path):
    g = nir.read(path)
    out = {"nodes": {}, "edges": [list(e) for e in g.edges]}
    for name, n in g.nodes.items():
        params = {}
        for k, v in vars(n).items():
            j = to_json(v)
            if j is not None:
                params[k] = j
        out["nodes"][name] = {"type": type(n).__name__, "params": params}
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        d = sys.argv[2]
        for name, g in [("lif_chain", lif_chain()), ("cuba_recurrent", cuba_recurrent()), ("cnn", cnn()),
                        ("others", others()), ("lif_pulse", lif_pulse()), ("conv1d_same", conv1d_same()),
                        ("avgpool", avgpool()), ("lif_per_neuron", lif_per_neuron())]:
            nir.write(f"{d}/{name}.nir", g)
        print("ok")
    else:
        dump(sys.argv[2])
