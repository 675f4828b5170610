using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Backend.Emit;
using CSharpBpf.Compiler.Tests.Backend.Kernel;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Atomics;

/// <summary>
/// System.Threading.Interlocked on map values, fields of map value structs and globals: one BPF_ATOMIC
/// instruction each (the fetch form only when the C# result is used), run in the VM and in the kernel.
/// </summary>
public class AtomicsTests
{
    private const string Source = @"using System.Threading;
using CSharpBpf;
using CSharpBpf.Kernel;
public struct Counters
{
    public long Packets;
    public uint Bytes;
    public uint Flags;
    public long Last;
    public long Swapped;
}
public static unsafe partial class Atomics
{
    [Map(MaxEntries = 1)] static ArrayMap<Counters> Stats;
    [Map(MaxEntries = 4)] static ArrayMap<ulong> Buckets;
    static long Total;

    [Xdp]
    static int Count(xdp_md* ctx)
    {
        uint len = ctx->data_end - ctx->data;
        Counters* c = Stats.Lookup(0);
        if (c == null) return 2;
        Interlocked.Increment(ref c->Packets);                 // 64-bit add, result unused
        Interlocked.Add(ref c->Bytes, len);                    // 32-bit add, result unused
        Interlocked.Or(ref c->Flags, 1u << (int)(len & 7));    // 32-bit or
        long total = Interlocked.Add(ref Total, len);          // 64-bit fetch-add on a global
        Interlocked.Exchange(ref c->Last, total);              // xchg
        Interlocked.CompareExchange(ref c->Swapped, total, 0); // cmpxchg: only the first run swaps
        ulong* b = Buckets.Lookup(len & 3);
        if (b != null) Interlocked.Decrement(ref *b);          // ref *p
        return 2;
    }
}";

    private static byte[] Compile()
    {
        var c = TestCompilation.Create(("Atomics.cs", Source));
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "Atomics"));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
        return compiled.Object.AsArray();
    }

    private static Instruction[] ProgramCode(byte[] elf)
    {
        var obj = BpfObjectFile.Read(elf);
        var f = obj.FindFunction("Count")!;
        return obj.FindProgramSection(f.SectionName)!.Instructions.Skip(f.InstructionOffset).Take(f.InstructionCount).ToArray();
    }

    private static List<(int Size, AtomicOp Op)> Atomics(Instruction[] code) =>
        code.Where(i => (i.Opcode & 0x07) == (byte)InstructionClass.Stx && (i.Opcode & 0xe0) == (byte)MemMode.Atomic)
            .Select(i => ((i.Opcode & 0x18) == (byte)MemSize.DW ? 8 : 4, (AtomicOp)i.Imm)).ToList();

    [Fact]
    public void Each_interlocked_call_is_one_atomic_instruction()
    {
        var atomics = Atomics(ProgramCode(Compile()));
        Assert.Equal(new List<(int, AtomicOp)>
        {
            (8, AtomicOp.Add),        // Increment, unused: no fetch
            (4, AtomicOp.Add),        // Add on the uint field
            (4, AtomicOp.Or),
            (8, AtomicOp.FetchAdd),   // Add on the global whose result is used
            (8, AtomicOp.Xchg),
            (8, AtomicOp.CmpXchg),
            (8, AtomicOp.Add),        // Decrement of *b
        }, atomics);
    }

    private static readonly int[] Lengths = { 60, 61, 62, 63, 64, 100, 1500, 77 };

    /// <summary>What the maps hold after one run per packet length, computed in C#.</summary>
    private static (long Packets, uint Bytes, uint Flags, long Last, long Swapped, long Total, ulong[] Buckets) Expected()
    {
        long total = 0, swapped = 0;
        uint bytes = 0, flags = 0;
        var buckets = new ulong[4];
        foreach (var len in Lengths)
        {
            bytes += (uint)len;
            flags |= 1u << (len & 7);
            total += len;
            if (swapped == 0) swapped = total;
            unchecked { buckets[len & 3]--; }
        }
        return (Lengths.Length, bytes, flags, total, swapped, total, buckets);
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Vm_counters_match(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var obj = host.LoadObject(Compile());
        Assert.Empty(obj.LoadErrors);
        var prog = obj.Program("Count");
        foreach (var len in Lengths) Assert.Equal(2, host.RunXdp(prog, new byte[len]).Verdict);

        var e = Expected();
        var stats = obj.Map("Stats").Lookup(BitConverter.GetBytes(0u))!;
        Assert.Equal(e.Packets, BitConverter.ToInt64(stats, 0));
        Assert.Equal(e.Bytes, BitConverter.ToUInt32(stats, 8));
        Assert.Equal(e.Flags, BitConverter.ToUInt32(stats, 12));
        Assert.Equal(e.Last, BitConverter.ToInt64(stats, 16));
        Assert.Equal(e.Swapped, BitConverter.ToInt64(stats, 24));
        var bss = obj.Maps.Single(kv => kv.Key.EndsWith(".bss", StringComparison.Ordinal)).Value;
        Assert.Equal(e.Total, BitConverter.ToInt64(bss.Lookup(BitConverter.GetBytes(0u))!, 0));
        for (uint i = 0; i < 4; i++)
            Assert.Equal(e.Buckets[i], BitConverter.ToUInt64(obj.Map("Buckets").Lookup(BitConverter.GetBytes(i))!, 0));
    }

    [SkippableFact]
    public void Kernel_counters_match()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(ExternalTools.Find("bpftool") is null, "bpftool not installed");
        using var obj = new PinnedObject(Compile(), "atomics");
        foreach (var len in Lengths) obj.Run("Count", new byte[len]);
        var e = Expected();
        var stats = obj.Lookup("Stats", 0)!;
        Assert.Equal(e.Packets, BitConverter.ToInt64(stats, 0));
        Assert.Equal(e.Bytes, BitConverter.ToUInt32(stats, 8));
        Assert.Equal(e.Flags, BitConverter.ToUInt32(stats, 12));
        Assert.Equal(e.Last, BitConverter.ToInt64(stats, 16));
        Assert.Equal(e.Swapped, BitConverter.ToInt64(stats, 24));
        for (uint i = 0; i < 4; i++)
            Assert.Equal(e.Buckets[i], BitConverter.ToUInt64(obj.Lookup("Buckets", i)!, 0));
    }
}

/// <summary>Interlocked shapes BPF has no atomic for: BPF0017 at the call.</summary>
public class AtomicRefusalTests
{
    [Fact]
    public void Atomic_on_a_kernel_type_field_is_BPF0017_at_the_call()
    {
        const string source = @"
[StructOps(""tcp_congestion_ops"", Name = ""x"")]
static unsafe partial class P
{
    static uint ssthresh(sock* sk)
    {
        System.Threading.Interlocked.Increment(ref ((tcp_sock*)sk)->snd_cwnd);
        return 2;
    }
}";
        var d = TestCompilation.Diagnose(source);
        var e = Assert.Single(d, x => x.Id == "BPF0017");
        Assert.Contains("kernel type", e.Message);
        Assert.Equal("System.Threading.Interlocked.Increment(ref ((tcp_sock*)sk)->snd_cwnd)", TestCompilation.SpanText(source, e));
    }
}
