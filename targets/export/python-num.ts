// The Python both exported scripts (Brian2, NEST) share. In: nothing; out: the text of `load(data, name)`, which reads
// one of glia's CSV files, and of `jsnum(x)`, which writes a float as JavaScript's String(x) does (shortest round-trip
// digits), as glia's CSV files do. The scripts import os and numpy as np before these.

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
