namespace CSharpBpf.Verifier;

/// <summary>
/// A "tristate number" as the kernel's verifier tracks it: every bit is known 0, known 1 or unknown.
/// <see cref="Value"/> holds the known 1 bits, <see cref="Mask"/> the unknown bits (never both set).
/// The arithmetic follows the published tnum algebra (Vishwanathan et al.), written from its definition.
/// </summary>
public readonly struct Tnum : System.IEquatable<Tnum>
{
    public Tnum(ulong value, ulong mask)
    {
        Value = value & ~mask;
        Mask = mask;
    }

    public ulong Value { get; }
    public ulong Mask { get; }

    public static Tnum Unknown => new(0, ulong.MaxValue);
    public static Tnum Const(ulong v) => new(v, 0);

    public bool IsConst => Mask == 0;
    public ulong Min => Value;
    public ulong Max => Value | Mask;

    /// <summary>The smallest tnum containing every value of [min, max].</summary>
    public static Tnum Range(ulong min, ulong max)
    {
        ulong chi = min ^ max;
        if (chi == 0) return Const(min);
        int bits = 64 - LeadingZeros(chi);
        if (bits > 63) return Unknown;
        ulong delta = (1UL << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    public static int LeadingZeros(ulong x)
    {
        if (x == 0) return 64;
        int n = 0;
        while ((x & 0x8000000000000000UL) == 0) { x <<= 1; n++; }
        return n;
    }

    public static Tnum operator +(Tnum a, Tnum b)
    {
        ulong sm = a.Mask + b.Mask;
        ulong sv = a.Value + b.Value;
        ulong sigma = sm + sv;
        ulong chi = sigma ^ sv;
        ulong mu = chi | a.Mask | b.Mask;
        return new Tnum(sv & ~mu, mu);
    }

    public static Tnum operator -(Tnum a, Tnum b)
    {
        ulong dv = a.Value - b.Value;
        ulong alpha = dv + a.Mask;
        ulong beta = dv - b.Mask;
        ulong chi = alpha ^ beta;
        ulong mu = chi | a.Mask | b.Mask;
        return new Tnum(dv & ~mu, mu);
    }

    public static Tnum operator &(Tnum a, Tnum b)
    {
        ulong alpha = a.Value | a.Mask;
        ulong beta = b.Value | b.Mask;
        ulong v = a.Value & b.Value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public static Tnum operator |(Tnum a, Tnum b)
    {
        ulong v = a.Value | b.Value;
        ulong mu = a.Mask | b.Mask;
        return new Tnum(v, mu & ~v);
    }

    public static Tnum operator ^(Tnum a, Tnum b)
    {
        ulong v = a.Value ^ b.Value;
        ulong mu = a.Mask | b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    public Tnum Lsh(int shift) => new(Value << shift, Mask << shift);
    public Tnum Rsh(int shift) => new(Value >> shift, Mask >> shift);

    public Tnum Arsh(int shift, int width)
    {
        if (width == 32)
            return new Tnum((ulong)(uint)((int)(uint)Value >> shift), (ulong)(uint)((int)(uint)Mask >> shift));
        return new Tnum((ulong)((long)Value >> shift), (ulong)((long)Mask >> shift));
    }

    /// <summary>Multiplication by shift-and-add over the known/unknown bits of <paramref name="a"/>.</summary>
    public static Tnum operator *(Tnum a, Tnum b)
    {
        Tnum accV = Const(a.Value * b.Value);
        Tnum accM = Const(0);
        ulong av = a.Value, am = a.Mask;
        Tnum bb = b;
        while (av != 0 || am != 0)
        {
            if ((av & 1) != 0) accM += new Tnum(0, bb.Mask);
            else if ((am & 1) != 0) accM += new Tnum(0, bb.Value | bb.Mask);
            av >>= 1; am >>= 1;
            bb = bb.Lsh(1);
        }
        return accV + accM;
    }

    /// <summary>Intersection of two tnums that describe the same value.</summary>
    public Tnum Intersect(Tnum b)
    {
        ulong v = Value | b.Value;
        ulong mu = Mask & b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>True when every value of <paramref name="b"/> is a value of this tnum.</summary>
    public bool Contains(Tnum b)
    {
        if ((b.Mask & ~Mask) != 0) return false;
        return (b.Value & ~Mask) == Value;
    }

    public Tnum Subreg => new(Value & 0xffffffffUL, Mask & 0xffffffffUL);
    public Tnum ClearSubreg => new(Value & ~0xffffffffUL, Mask & ~0xffffffffUL);
    public Tnum Cast(int bytes) => bytes >= 8 ? this : new Tnum(Value & ((1UL << (bytes * 8)) - 1), Mask & ((1UL << (bytes * 8)) - 1));

    public bool Equals(Tnum o) => Value == o.Value && Mask == o.Mask;
    public override bool Equals(object? obj) => obj is Tnum t && Equals(t);
    public override int GetHashCode() => (Value * 31 ^ Mask).GetHashCode();
    public override string ToString() => IsConst ? $"{Value:x}" : $"(0x{Value:x}; 0x{Mask:x})";
}
