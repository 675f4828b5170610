using System;
using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Backend.Emit;
using CSharpBpf.Compiler.Tests.Backend.Kernel;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Frontend;

/// <summary>
/// Maps as parameters of helper methods: each call binds a [Map] field to the parameter and the
/// helper is specialised per tuple of maps (maps are LD_IMM64 constants, not values). Inlined or
/// not, the program must touch the map it was given.
/// </summary>
public class MapParameterTests
{
    private const string Source = @"
public static unsafe partial class P
{
    [Map(MaxEntries = 8)] static HashMap<uint, long> Left;
    [Map(MaxEntries = 8)] static HashMap<uint, long> Right;
    [Map(MaxEntries = 4)] static ArrayMap<long> Totals;

    static void Bump(HashMap<uint, long> m, uint key, long by)
    {
        long* v = m.Lookup(key);
        if (v != null) System.Threading.Interlocked.Add(ref *v, by);
        else m.Update(key, by, MapUpdate.Any);
    }

    static void BumpTwice(HashMap<uint, long> first, HashMap<uint, long> second, uint key) // passes its maps on
    {
        Bump(first, key, 1);
        Bump(second, key, 100);
    }

    [Inline(false)]
    static long Add(ArrayMap<long> totals, uint slot, long by) // stays a subprogram: the map is loaded inside it
    {
        long* t = totals.Lookup(slot);
        if (t == null) return -1;
        *t += by;
        return *t;
    }

    [Xdp]
    static int Run(xdp_md* ctx)
    {
        uint len = ctx->data_end - ctx->data;
        uint key = len & 7;
        Bump(Left, key, 10);
        Bump(Right, key, 20);
        BumpTwice(Right, Left, key);
        return Add(Totals, key & 3, len) > 0 ? 2 : 1;
    }
}";

    private static byte[] Compile()
    {
        var c = TestCompilation.Create(("P.cs", TestCompilation.Usings + Source));
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "P"));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
        return compiled.Object.AsArray();
    }

    private static readonly int[] Lengths = { 60, 61, 68, 64, 60 };

    /// <summary>Checks the three maps after one run per packet length; <paramref name="value"/> reads (map, key) → value or 0.</summary>
    private static void AssertMaps(Func<string, uint, long> value)
    {
        foreach (var key in Lengths.Select(l => (uint)l & 7).Distinct())
        {
            int n = Lengths.Count(l => ((uint)l & 7) == key);
            Assert.Equal(n * (10L + 100), value("Left", key));   // Bump(Left, 10) + BumpTwice(Right, Left): second = Left, +100
            Assert.Equal(n * (20L + 1), value("Right", key));    // Bump(Right, 20) + BumpTwice: first = Right, +1
        }
        for (uint slot = 0; slot < 4; slot++)
            Assert.Equal(Lengths.Where(l => (l & 3) == slot).Sum(l => (long)l), value("Totals", slot));
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Each_call_touches_the_map_it_passes(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var obj = host.LoadObject(Compile());
        Assert.Empty(obj.LoadErrors);
        var prog = obj.Program("Run");
        foreach (var len in Lengths) Assert.Equal(2, host.RunXdp(prog, new byte[len]).Verdict);
        AssertMaps((map, key) => obj.Map(map).Lookup(BitConverter.GetBytes(key)) is { } v ? BitConverter.ToInt64(v, 0) : 0);
    }

    [SkippableFact]
    public void Kernel_accepts_and_runs_the_specialised_helpers()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(ExternalTools.Find("bpftool") is null, "bpftool not installed");
        using var obj = new PinnedObject(Compile(), "mapparams");
        foreach (var len in Lengths) obj.Run("Run", new byte[len]);
        AssertMaps((map, key) => obj.Lookup(map, key) is { } v ? BitConverter.ToInt64(v, 0) : 0);
    }

    [Fact]
    public void A_helper_is_specialised_once_per_tuple_of_maps()
    {
        var m = TestCompilation.Lower(Source);
        var names = m.Functions.Select(f => f.Name).ToList();
        Assert.Contains("Bump__Left", names);
        Assert.Contains("Bump__Right", names);
        Assert.Contains("BumpTwice__Right_Left", names);
        Assert.Single(names, n => n == "Add__Totals");
        Assert.DoesNotContain("Bump", names);
    }

    [Fact]
    public void Programs_and_global_functions_cannot_take_maps()
    {
        var diags = TestCompilation.Diagnose(@"
public static unsafe partial class P
{
    [Map(MaxEntries = 8)] static HashMap<uint, long> Left;
    [Global] static int Count(HashMap<uint, long> m, uint k) => m.Lookup(k) != null ? 1 : 0;
    [Xdp] static int Run(xdp_md* ctx) => Count(Left, 1) + 2;
}");
        Assert.Contains(diags, d => d.Id is "BPF0012" or "BPF2004");
    }
}
