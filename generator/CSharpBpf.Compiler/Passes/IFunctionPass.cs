using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>A transformation of one function's IR. Returns true when it changed something,
/// so the pipeline can iterate to a fixed point.</summary>
public interface IFunctionPass
{
    string Name { get; }
    bool Run(IrFunction function);
}
