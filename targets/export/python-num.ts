// glia's number formatting in Python, shared by the exported scripts (Brian2, NEST). In: nothing; out: the text of
// `jsnum(x)`, which writes a float as JavaScript's String(x) does (shortest round-trip digits), as glia's CSV files do.

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
