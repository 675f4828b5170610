using System.Collections.Generic;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Where a register is live, as sorted disjoint position ranges [a, b] (instruction k reads at
/// 2k and writes at 2k+1). Precise ranges, not one hull, so a value that is dead across a
/// stretch of code (another branch, a return path) leaves its register free there.
/// </summary>
public sealed class LiveInterval
{
    private readonly List<(int a, int b)> _ranges = new();

    public LiveInterval(int reg) => Reg = reg;

    public int Reg { get; }
    public IReadOnlyList<(int a, int b)> Ranges => _ranges;
    public int Start => _ranges.Count == 0 ? int.MaxValue : _ranges[0].a;
    public int End => _ranges.Count == 0 ? int.MinValue : _ranges[_ranges.Count - 1].b;

    /// <summary>Spill weight: occurrences (scaled for loops) per unit of length; reload temporaries are unspillable.</summary>
    public double Weight { get; set; }
    public bool Unspillable { get; set; }

    public int Length
    {
        get
        {
            int n = 0;
            foreach (var (a, b) in _ranges) n += b - a + 1;
            return n;
        }
    }

    public void Add(int a, int b)
    {
        if (b < a) (a, b) = (b, a);
        int i = 0;
        while (i < _ranges.Count && _ranges[i].b < a - 1) i++;
        int na = a, nb = b;
        while (i < _ranges.Count && _ranges[i].a <= b + 1)
        {
            if (_ranges[i].a < na) na = _ranges[i].a;
            if (_ranges[i].b > nb) nb = _ranges[i].b;
            _ranges.RemoveAt(i);
        }
        _ranges.Insert(i, (na, nb));
    }

    public static LiveInterval Union(LiveInterval a, LiveInterval b)
    {
        var u = new LiveInterval(a.Reg);
        foreach (var (x, y) in a._ranges) u.Add(x, y);
        foreach (var (x, y) in b._ranges) u.Add(x, y);
        return u;
    }

    public bool Overlaps(LiveInterval other) => Overlaps(other._ranges);

    public bool Overlaps(IReadOnlyList<(int a, int b)> other)
    {
        int i = 0, j = 0;
        while (i < _ranges.Count && j < other.Count)
        {
            var x = _ranges[i];
            var y = other[j];
            if (x.a <= y.b && y.a <= x.b) return true;
            if (x.b < y.b) i++; else j++;
        }
        return false;
    }

    public override string ToString() => MReg.Name(Reg) + " " + string.Join(" ", _ranges);
}
