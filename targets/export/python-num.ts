// The Python both exported scripts (Brian2, NEST) share. In: nothing; out: the text of `load(data, name)`, which reads
// one of glia's CSV files, and of `jsnum(x)`, which writes a float as JavaScript's String(x) does (shortest round-trip
// digits), as glia's CSV files do, and of `rate_lines(records, spikes, steps)`, rates.csv's rows from the recorded
// spikes (glia's rate record: a population's spikes in step k / (n dt)), and of `synapse_lines(data, steps, values)`,
// synapses.csv's rows (targets/export/synapse-records.ts defines SYNAPSE_RECORDS and SYNAPSE_HEADER). The scripts
// import os and numpy as np before these and define DT and time_text.

export const PY_LOAD = `def load(data, name):
    """One CSV file glia wrote: {column: float64 array}, values in SI base units."""
    path = os.path.join(data, name)
    with open(path) as f:
        header = f.readline().strip().split(",")
    rows = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    if rows.size == 0:
        rows = np.zeros((0, len(header)))
    return {h: rows[:, c] for c, h in enumerate(header)}


`;

export const PY_JSNUM = `def jsnum(x):
    """x as JavaScript's String(x) writes it (shortest round-trip digits), as glia's CSV files do."""
    x = float(x)
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    mant, exp = np.format_float_scientific(abs(x), unique=True, trim="-").split("e")
    digits = mant.replace(".", "")
    n = int(exp) + 1  # value = 0.digits * 10**n
    if -6 < n <= 21:
        if n <= 0:
            return sign + "0." + "0" * (-n) + digits
        if n >= len(digits):
            return sign + digits + "0" * (n - len(digits))
        return sign + digits[:n] + "." + digits[n:]
    e = n - 1
    body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return sign + body + "e" + ("+" if e > 0 else "-") + str(abs(e))


`;
export const PY_RATES = `def rate_lines(records, spikes, steps):
    """rates.csv's lines: for each (population, start, end, every), spikes of elements start..end-1 in step k / (n DT)."""
    lines = ["population,step,time_s,rate_hz"]
    for pop, start, end, every in records:
        k, e = spikes[pop]
        inside = (e >= start) & (e < end)
        counts = np.bincount(k[inside], minlength=steps)[:steps]
        for step in range(0, steps, every):
            hz = counts[step] / ((end - start) * DT) if end > start else 0.0
            lines.append("%s,%d,%s,%s" % (pop, step, time_text(step), jsnum(hz)))
    return lines


`;

export const PY_SYNAPSES = `def synapse_lines(data, steps, engine_values):
    """synapses.csv's lines (glia's format): every SYNAPSE_RECORDS entry at steps 0, every, ... below \`steps\`, one
    row per synapse; engine_values[n]: the engine's values of record n (rows: recorded steps, columns: its
    synapses, glia's SI values), None for a parameter (written from glia's own values)."""
    lines = [SYNAPSE_HEADER]
    for n, (proj, var, sel, every, source, suffix, _) in enumerate(SYNAPSE_RECORDS):
        syn = load(data, "proj_%s.csv" % proj)
        sel = np.asarray(list(sel), dtype=np.int64)
        pre = syn["pre"][sel].astype(np.int64)
        post = syn["post"][sel].astype(np.int64)
        for r, k in enumerate(range(0, steps, every)):
            if source is None:
                row = engine_values[n][r]
            elif isinstance(source, str):
                row = syn[var][sel]
            else:
                row = np.full(len(sel), float(source))
            t = time_text(k)
            lines += ["%s,%s,%d,%d,%d,%d,%s,%s%s" % (proj, var, sel[c], pre[c], post[c], k, t, jsnum(row[c]), suffix)
                      for c in range(len(sel))]
    return lines


`;
