using CSharpBpf.Compiler.Ir;
using CSharpBpf.TestSupport;
using Xunit;
using CSharpBpf.Compiler.Tests.Backend;

namespace CSharpBpf.Compiler.Tests.Ir;

public class IrPrinterTests
{
    [Fact]
    public void CounterModule_PrintsStably() =>
        GoldenFile.AssertMatches("compiler/backend/counter.ir.txt", IrPrinter.Print(SamplePrograms.Counter(), withLocations: true));

    [Fact]
    public void EveryInstructionKind_HasAText()
    {
        var m = new IrModule("t");
        var g = m.AddGlobal(new GlobalVariable("g", IntType.Int, GlobalSection.Data, new byte[] { 1, 0, 0, 0 }));
        var map = m.AddMap(new MapDefinition("h", BpfMapType.Hash, IntType.UInt, IntType.ULong, 16));
        var k = m.Kfunc("bpf_kfunc", IntType.Int, new FuncParam("x", IntType.Int));
        var f = m.AddProgram("p", "tc", IntType.Int);
        var b = new FunctionBuilder(f);
        var s = f.NewSlot(8);
        var pa = b.FrameAddr(s);
        var pg = b.GlobalAddr(g);
        b.MapAddr(map);
        var v = b.Load(4, pg, 0, signExtend: true);
        b.Store(4, pa, -4, v);
        b.Atomic(AtomicRmwOp.CmpXchg, 4, pg, 0, v, b.Reg(Width.W32), 7L);
        var r = b.Call(k, v)!;
        b.Return(b.SignExtend(r, 8, Width.W32));
        var text = IrPrinter.Print(m);
        foreach (var expected in new[] { "frame s0", "global g", "map h", "loads32 [%", "store32 [%0-4]", "atomic32 cmpxchg", "expected 7", "call kfunc bpf_kfunc(", "sext8", "global g: int in .data = [01 00 00 00]", "map h: Hash key uint value ulong max_entries 16" })
            Assert.Contains(expected, text);
    }
}
