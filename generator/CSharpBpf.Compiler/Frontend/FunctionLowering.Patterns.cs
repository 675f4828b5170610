using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Integer patterns (x is 0, x is > 5 and &lt; 10, x is not 3, _), in `is` expressions and switch arms:
/// each becomes compares and branches on a value computed once.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>Branches to <paramref name="ifTrue"/> when <paramref name="value"/> (of <paramref name="type"/>) matches.</summary>
    private void PatternCondition(Operand value, ITypeSymbol type, IPatternOperation pattern, BasicBlock ifTrue, BasicBlock ifFalse)
    {
        var width = WidthOf(type);
        bool signed = IntInfo(type).Signed;
        switch (pattern)
        {
            case IDiscardPatternOperation:
                _b.Jump(ifTrue);
                return;
            case IConstantPatternOperation cp:
                Branch(CmpOp.Eq, value, ConstantOperand(cp.Value), ifTrue, ifFalse, width);
                return;
            case IRelationalPatternOperation rp:
                Branch(RelationalCmp(rp.OperatorKind, signed), value, ConstantOperand(rp.Value), ifTrue, ifFalse, width);
                return;
            case INegatedPatternOperation np:
                PatternCondition(value, type, np.Pattern, ifFalse, ifTrue);
                return;
            case IBinaryPatternOperation bp:
                var mid = _b.NewBlock(bp.OperatorKind == BinaryOperatorKind.And ? "pattern.and" : "pattern.or");
                if (bp.OperatorKind == BinaryOperatorKind.And) PatternCondition(value, type, bp.LeftPattern, mid, ifFalse);
                else PatternCondition(value, type, bp.LeftPattern, ifTrue, mid);
                _b.SetBlock(mid);
                PatternCondition(value, type, bp.RightPattern, ifTrue, ifFalse);
                return;
            default:
                throw LoweringException.Unsupported(pattern, "pattern (use constants, relational patterns, and/or/not, or _)");
        }
    }

    private void IsPatternCondition(IIsPatternOperation isp, BasicBlock ifTrue, BasicBlock ifFalse)
    {
        var type = isp.Value.Type!;
        if (IntInfo(type).Bits == 0) throw LoweringException.Unsupported(isp, "pattern on a non-integer value");
        PatternCondition(Value(isp.Value), type, isp.Pattern, ifTrue, ifFalse);
    }
}
