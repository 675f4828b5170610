using System;
using CSharpBpf.Compiler.Ir;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Ir;

public class IrValidatorTests
{
    private static (IrModule, IrFunction, FunctionBuilder) Program()
    {
        var m = new IrModule("t");
        var f = m.AddProgram("p", "xdp", IntType.Int);
        f.AddParam("ctx", new PointerType(VoidType.Instance));
        return (m, f, new FunctionBuilder(f).At("v.cs", 7, 3));
    }

    private static string Problems(IrFunction f) => string.Join("\n", IrValidator.Problems(f));

    [Fact]
    public void ValidProgram_HasNoProblems()
    {
        var (_, f, b) = Program();
        b.Return(b.Binary(BinOp.Add, b.Const(Width.W32, 1), 2));
        Assert.Empty(IrValidator.Problems(f));
    }

    [Fact]
    public void MissingTerminator_IsReported()
    {
        var (_, f, b) = Program();
        b.Const(Width.W32, 1);
        Assert.Contains("does not end in a terminator", Problems(f));
    }

    [Fact]
    public void MixedWidths_AreReported_WithTheLocation()
    {
        var (_, f, b) = Program();
        var x = b.Const(Width.W32, 1);
        var y = b.Const(Width.W64, 2);
        b.Emit(new BinaryInst(BinOp.Add, f.NewReg(Width.W32), x, y));
        b.Return(0L);
        var text = Problems(f);
        Assert.Contains("operand widths differ", text);
        Assert.Contains("v.cs:7:3", text);
    }

    [Fact]
    public void ReadOfNeverWrittenRegister_IsReported()
    {
        var (_, f, b) = Program();
        b.Return(f.NewReg(Width.W32));
        Assert.Contains("read but never written", Problems(f));
    }

    [Fact]
    public void LoadThroughNonPointer_AndBadSize_AreReported()
    {
        var (_, f, b) = Program();
        var x = b.Const(Width.W64, 0);
        b.Emit(new LoadInst(f.NewReg(Width.W64), 3, x, 0));
        b.Return(0L);
        var text = Problems(f);
        Assert.Contains("load of 3 bytes", text);
        Assert.Contains("is not a pointer", text);
    }

    [Fact]
    public void SixArguments_AndRecursion_AreReported()
    {
        var (m, f, b) = Program();
        var sub = m.AddFunction("s", FunctionKind.Subprogram, IntType.Long);
        for (int i = 0; i < 6; i++) sub.AddParam("a" + i, IntType.Long);
        var sb = new FunctionBuilder(sub);
        sb.Call(sub, 1L, 2L, 3L, 4L, 5L, 6L);
        sb.Return(0L);
        b.Return(0L);
        var text = string.Join("\n", IrValidator.Problems(sub));
        Assert.Contains("at most 5", text);
        Assert.Contains("recursion", text);
    }

    [Fact]
    public void ReturnShape_MustMatchTheFunction()
    {
        var (_, f, b) = Program();
        b.Return();
        Assert.Contains("must return", Problems(f));
        Assert.Throws<IrValidationException>(() => IrValidator.Validate(f));
    }

    [Fact]
    public void BuilderRefusesCodeAfterATerminator()
    {
        var (_, _, b) = Program();
        b.Return(0L);
        Assert.Throws<InvalidOperationException>(() => b.Const(Width.W32, 1));
    }
}
