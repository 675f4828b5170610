using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Differential;

/// <summary>
/// The stateful part of the subset through the full pipeline (C# → ELF → VM object loader):
/// .rodata constants, .data/.bss globals, array and hash maps with Lookup (null when absent),
/// Update and Delete. Map operations have no native meaning, so the expected values come from a
/// small C# model of the same program run side by side on the same random inputs.
/// </summary>
public class GlobalsAndMapsTests
{
    private const string Source = @"using CSharpBpf;
using CSharpBpf.Kernel;
public static unsafe partial class State
{
    [Map(MaxEntries = 16)] static HashMap<uint, long> Table;
    [Map(MaxEntries = 4)] static ArrayMap<long> Slots;
    static readonly long Bias = 1000;
    static long Counter;
    static int Initialized = 5;

    [Xdp]
    static int Entry(xdp_md* ctx)
    {
        byte* d = (byte*)ctx->data;
        if (d + 24 > (byte*)ctx->data_end) return 0;
        long a = *(long*)d;
        uint key = (uint)*(long*)(d + 8) & 15;
        Counter += a;
        Initialized++;
        long* slot = Slots.Lookup(key & 7);      // keys 4..7 are out of range: null
        long fromSlot = -7;
        if (slot != null) { *slot += a; fromSlot = *slot; }
        long* t = Table.Lookup(key);
        long prev = t != null ? *t : -1;
        if ((a & 3) != 0) Table.Update(key, a);
        else Table.Delete(key);
        *(long*)(d + 16) = Bias + Counter * 3 + Initialized + prev * 5 + fromSlot * 7;
        return 2;
    }
}";

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Vm_run_matches_the_model(ExecutionEngine engine)
    {
        var c = TestCompilation.Create(("State.cs", Source));
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "State"));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
        using var host = new BpfTestHost(engine);
        var obj = host.LoadObject(compiled.Object.AsArray());
        Assert.Empty(obj.LoadErrors);
        var prog = obj.Program("Entry");

        // the model
        long counter = 0;
        int initialized = 5;
        var slots = new long[4];
        var table = new Dictionary<uint, long>();

        var rng = new Random(7);
        for (int n = 0; n < 3000; n++)
        {
            long a = rng.Next(4) == 0 ? rng.NextInt64() : rng.Next(-100, 100);
            long k = rng.NextInt64();
            var packet = DifferentialHarness.Packet(new[] { a, k });
            var r = host.RunXdp(prog, packet);
            Assert.Equal(2, r.Verdict);
            long actual = BitConverter.ToInt64(r.Packet!, 16);

            uint key = (uint)k & 15;
            unchecked
            {
                counter += a;
                initialized++;
                long fromSlot = -7;
                if ((key & 7) < 4) { slots[key & 7] += a; fromSlot = slots[key & 7]; }
                long prev = table.TryGetValue(key, out var v) ? v : -1;
                if ((a & 3) != 0) table[key] = a;
                else table.Remove(key);
                long expected = 1000 + counter * 3 + initialized + prev * 5 + fromSlot * 7;
                Assert.True(expected == actual, $"case {n}: a={a} key={key}: model {expected}, program {actual}");
            }
        }
        Assert.Equal(table.Count, obj.Map("Table").Keys.Count());
    }

    [Fact]
    public void Globals_land_in_their_sections()
    {
        var c = TestCompilation.Create(("State.cs", Source));
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "State"));
        using var host = new BpfTestHost();
        var obj = host.LoadObject(compiled.Object.AsArray());
        Assert.Contains(obj.Maps.Keys, k => k.EndsWith(".rodata", StringComparison.Ordinal));
        Assert.Contains(obj.Maps.Keys, k => k.EndsWith(".data", StringComparison.Ordinal));
        Assert.Contains(obj.Maps.Keys, k => k.EndsWith(".bss", StringComparison.Ordinal));
    }
}
