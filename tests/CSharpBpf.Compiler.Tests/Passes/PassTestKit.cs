using System;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;

namespace CSharpBpf.Compiler.Tests.Passes;

internal static class PassTestKit
{
    /// <summary>A function "f(long a, long b) -> long" with its builder.</summary>
    public static (IrModule m, IrFunction f, FunctionBuilder b, VReg a, VReg c) Function(FunctionKind kind = FunctionKind.Subprogram)
    {
        var m = new IrModule("t");
        var f = kind == FunctionKind.Program ? m.AddProgram("f", "xdp", IntType.Long) : m.AddFunction("f", kind, IntType.Long);
        var a = f.AddParam("a", IntType.Long).Reg;
        var c = f.AddParam("b", IntType.Long).Reg;
        return (m, f, new FunctionBuilder(f), a, c);
    }

    /// <summary>Runs the pass, validates, and returns the printed function body (without the header line).</summary>
    public static string After(IFunctionPass pass, IrFunction f)
    {
        PassPipeline.RunToFixedPoint(f, new[] { pass });
        IrValidator.Validate(f);
        var text = IrPrinter.Print(f);
        return text.Substring(text.IndexOf('\n') + 1).Replace("\r", "");
    }

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";
}
