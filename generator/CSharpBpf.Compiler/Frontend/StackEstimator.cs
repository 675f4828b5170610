using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// A lower bound of a function's stack frame from its C# alone: every struct local, every
/// stackalloc and every local whose address is taken lives in the frame (8-byte aligned, as the
/// lowering allocates slots). Register spills come on top; the backend checks the final frame.
/// Over 512 bytes is refused early (BPF0011) at the method, where the user can act on it.
/// </summary>
public static class StackEstimator
{
    public static int Estimate(IOperation body, TypeMapper types)
    {
        var addressTaken = AddressTakenLocals.Find(body);
        int total = 0;
        foreach (var op in body.Descendants())
        {
            if (op is IVariableDeclaratorOperation vd && !vd.Symbol.IsRef)
            {
                var t = vd.Symbol.Type;
                bool inFrame = t.TypeKind == TypeKind.Struct && TypeMapper.Primitive(t) is null || addressTaken.Contains(vd.Symbol);
                if (inFrame) total += Align8(types.SizeOf(t));
            }
            else if (op.Kind == OperationKind.None && op.Syntax is StackAllocArrayCreationExpressionSyntax &&
                     op.Type is IPointerTypeSymbol pt && op.ChildOperations.FirstOrDefault()?.ConstantValue.Value is int n)
            {
                total += Align8(types.SizeOf(pt.PointedAtType) * n);
            }
        }
        return total;
    }

    private static int Align8(int n) => n <= 0 ? 8 : (n + 7) / 8 * 8;
}
