using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

public class CopyPropagationTests
{
    [Fact]
    public void SingleDefinitionCopy_IsReplacedByItsSource()
    {
        var (_, f, b, a, c) = Function();
        var x = b.Reg(Width.W64);
        b.Move(x, a);
        b.Return(b.Binary(BinOp.Add, x, c));
        var text = After(new CopyPropagation(), f);
        Assert.Contains("add %0, %1", text);
    }

    [Fact]
    public void TemporaryFeedingACopy_WritesTheLocalDirectly()
    {
        // x = a; x = x + 1 (through a temporary) → x = add x, 1
        var (_, f, b, a, _) = Function();
        var x = b.Reg(Width.W64, "x");
        b.Move(x, a);
        var t = b.Binary(BinOp.Add, x, 1);
        b.Move(x, t);
        b.Return(x);
        PassPipeline.RunToFixedPoint(f, new IFunctionPass[] { new CopyPropagation(), new DeadCodeElimination() });
        var text = IrPrinter.Print(f);
        Assert.Contains("add %0, 1", text); // x is read as a
        Assert.DoesNotContain("mov", text); // and no copy survives

    }

    [Fact]
    public void ReassignedSource_StopsLocalPropagation()
    {
        var (_, f, b, a, c) = Function();
        var x = b.Reg(Width.W64, "x");
        var y = b.Reg(Width.W64, "y");
        b.Move(y, a);
        b.Move(x, y);
        b.BinaryInto(y, BinOp.Add, y, c); // y changes: x must keep the old value
        b.Return(b.Binary(BinOp.Sub, x, y));
        var text = After(new CopyPropagation(), f);
        Assert.Contains("sub %0, %3", text.Replace("%2", "%0")); // x reads a (the old y), not the new y
        Assert.DoesNotContain("sub %3, %3", text);
    }

    [Fact]
    public void DifferentWidths_AreNotPropagated()
    {
        var (_, f, b, a, _) = Function();
        var w = b.Reg(Width.W32);
        b.Move(w, a); // truncation
        var r = b.Reg(Width.W64);
        b.Move(r, w); // zero extension
        b.Return(r);
        var text = After(new CopyPropagation(), f);
        Assert.Contains("= mov %0", text);
        Assert.Contains("= mov %2", text);
    }
}
