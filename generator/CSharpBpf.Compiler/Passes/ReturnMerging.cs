using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Gives a function with several returns one exit block: each "ret v" becomes "r = v; jmp exit".
/// On its own this costs nothing (a ja replaces a duplicated exit); it lets
/// <see cref="Speculation"/> hoist an early return's constant above its branch, so the early
/// path is a single jump to the shared exit, as clang compiles it.
/// </summary>
public sealed class ReturnMerging : IFunctionPass
{
    public string Name => "return-merging";

    public bool Run(IrFunction f)
    {
        var returns = f.Blocks.Where(b => b.Terminator is ReturnInst).ToList();
        if (returns.Count < 2) return false;
        bool isVoid = f.ReturnType is VoidType;
        VReg? result = null;
        if (!isVoid)
        {
            var first = returns.Select(b => ((ReturnInst)b.Terminator!).Value).FirstOrDefault(v => v is { IsReg: true });
            result = first is { } r ? f.NewRegLike(r.Reg!, "retval") :
                f.ReturnType is PointerType ? f.NewPtr("retval") : f.NewReg(f.ReturnType.Size == 8 ? Width.W64 : Width.W32, "retval");
        }
        var exit = f.NewBlock("return");
        var last = (ReturnInst)returns[returns.Count - 1].Terminator!;
        exit.Instructions.Add(new ReturnInst(result is null ? (Operand?)null : Operand.Of(result)) { Location = last.Location });
        foreach (var b in returns)
        {
            var ret = (ReturnInst)b.Terminator!;
            b.Instructions.RemoveAt(b.Instructions.Count - 1);
            if (result is not null && ret.Value is { } v)
                b.Instructions.Add(new MoveInst(result, v) { Location = ret.Location });
            b.Instructions.Add(new JumpInst(exit) { Location = ret.Location });
        }
        return true;
    }
}
