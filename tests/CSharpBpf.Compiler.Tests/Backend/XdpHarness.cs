using System;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Tests.Backend;

/// <summary>
/// Wraps a computation in an XDP program for BPF_PROG_TEST_RUN: the packet carries three
/// 64-bit inputs at bytes 0, 8, 16; the program bounds-checks the packet, computes, and writes
/// the 64-bit result over bytes 0..7.
/// </summary>
internal static class XdpHarness
{
    public const int PacketSize = 64;

    public static readonly StructType XdpMd = new StructType("xdp_md", 24)
        .Add("data", IntType.UInt, 0).Add("data_end", IntType.UInt, 4).Add("data_meta", IntType.UInt, 8)
        .Add("ingress_ifindex", IntType.UInt, 12).Add("rx_queue_index", IntType.UInt, 16).Add("egress_ifindex", IntType.UInt, 20);

    /// <summary>Builds the program; <paramref name="body"/> gets the builder and the three 64-bit inputs and returns the 64-bit result.</summary>
    public static IrModule Build(Func<FunctionBuilder, VReg[], Operand> body, string name = "prog", Action<IrModule>? declare = null)
    {
        var m = new IrModule("test");
        declare?.Invoke(m);
        var f = m.AddProgram(name, "xdp", IntType.Int);
        Owners.Add(f, m);
        var ctx = f.AddParam("ctx", new PointerType(XdpMd)).Reg;
        var b = new FunctionBuilder(f).At("harness.cs", 1, 1);
        var data = b.Load(4, ctx, 0, pointer: true);
        var end = b.Load(4, ctx, 4, pointer: true);
        var lim = b.Binary(BinOp.Add, data, 24, pointer: true);
        var ok = b.NewBlock("ok");
        var bad = b.NewBlock("short");
        b.Branch(CmpOp.Ugt, lim, end, bad, ok);
        b.SetBlock(ok);
        var vars = new[] { b.Load(8, data, 0), b.Load(8, data, 8), b.Load(8, data, 16) };
        b.At("harness.cs", 2, 1);
        var result = body(b, vars);
        b.At("harness.cs", 3, 1);
        b.Store(8, data, 0, result);
        b.Return(2);
        b.SetBlock(bad);
        b.Return(1);
        return m;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IrFunction, IrModule> Owners = new();

    /// <summary>The module a harness program belongs to (so expression lowering can declare helpers).</summary>
    public static IrModule ModuleOf(IrFunction f) => Owners.TryGetValue(f, out var m) ? m : throw new InvalidOperationException($"{f.Name} is not a harness program");

    public static byte[] Packet(long a, long b, long c)
    {
        var p = new byte[PacketSize];
        BitConverter.GetBytes(a).CopyTo(p, 0);
        BitConverter.GetBytes(b).CopyTo(p, 8);
        BitConverter.GetBytes(c).CopyTo(p, 16);
        return p;
    }

    public static CompiledFunction CompileSingle(IrModule m, TargetOptions? options = null)
    {
        var fs = BpfBackend.Compile(m, options);
        return fs[0];
    }
}
