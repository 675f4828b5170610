using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// [Unroll]: a for loop of the shape <c>for (T i = C0; i OP C1; i++ / i-- / i += K / i -= K)</c> whose body never
/// writes i is emitted once per iteration with i a known constant, so there is no back-edge (kernels
/// before 5.3 need that) and constant folding sees every index. Any other loop in an [Unroll] method is
/// refused with BPF1001 at the loop, rather than silently left rolled.
/// </summary>
internal sealed partial class FunctionLowering
{
    private const int MaxUnrolledIterations = 1024;

    private bool UnrollRequested => KnownSymbols.HasAttribute(_method, _module.Known.UnrollAttribute);

    private LoweringException NotUnrollable(IOperation loop) =>
        new(BpfDiagnostics.UnboundedUnroll, loop.Syntax, _method.Name);

    private void LowerUnrolled(IForLoopOperation f)
    {
        var plan = PlanUnroll(f) ?? throw NotUnrollable(f);
        var (local, values) = plan;
        DeclareLocal(local);
        var end = _b.NewBlock("unrolled.end");
        foreach (var v in values)
        {
            Write(PlaceOfLocal(local), Normalize(v, local.Type));
            var next = _b.NewBlock("unrolled.next");
            _targets.Push((end, next));
            LowerStatement(f.Body);
            _targets.Pop();
            JumpTo(next);
            _b.SetBlock(next);
        }
        JumpTo(end);
        _b.SetBlock(end);
    }

    /// <summary>The loop variable and the values it takes, or null when the trip count is not a compile-time constant.</summary>
    private (ILocalSymbol Local, List<long> Values)? PlanUnroll(IForLoopOperation f)
    {
        if (f.Before.Length != 1 || f.Before[0] is not IVariableDeclarationGroupOperation g) return null;
        var declarators = g.Declarations.SelectMany(d => d.Declarators).ToList();
        if (declarators.Count != 1) return null;
        var d0 = declarators[0];
        var local = d0.Symbol;
        var init = d0.Initializer ?? g.Declarations[0].Initializer;
        if (init?.Value.ConstantValue is not { HasValue: true } c0 || IntInfo(local.Type).Bits == 0) return null;

        if (f.Condition is not IBinaryOperation cond || !Refers(cond.LeftOperand, local) || !cond.RightOperand.ConstantValue.HasValue) return null;
        long limit = Constants.ToLong(cond.RightOperand.ConstantValue.Value);
        bool signed = IntInfo(local.Type).Signed;

        if (f.AtLoopBottom.Length != 1 || f.AtLoopBottom[0] is not IExpressionStatementOperation step) return null;
        long delta;
        switch (step.Operation)
        {
            case IIncrementOrDecrementOperation inc when Refers(inc.Target, local):
                delta = inc.Kind == OperationKind.Increment ? 1 : -1;
                break;
            case ICompoundAssignmentOperation ca when Refers(ca.Target, local) && ca.Value.ConstantValue.HasValue &&
                                                     ca.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract:
                delta = Constants.ToLong(ca.Value.ConstantValue.Value) * (ca.OperatorKind == BinaryOperatorKind.Add ? 1 : -1);
                break;
            default:
                return null;
        }
        if (WritesLocal(f.Body, local)) return null;

        var values = new List<long>();
        long i = Constants.ToLong(c0.Value);
        while (Holds(cond.OperatorKind, i, limit, signed))
        {
            if (values.Count == MaxUnrolledIterations) return null;
            values.Add(i);
            i = Wrap(i + delta, local.Type); // the variable wraps at its own width, as in C#
        }
        return (local, values);
    }

    private static long Wrap(long v, ITypeSymbol type)
    {
        var (bits, signed) = IntInfo(type);
        if (bits >= 64) return v;
        long mask = (1L << bits) - 1;
        v &= mask;
        return signed && (v >> (bits - 1)) != 0 ? v | ~mask : v;
    }

    private static bool Holds(BinaryOperatorKind op, long a, long b, bool signed)
    {
        ulong ua = (ulong)a, ub = (ulong)b;
        return op switch
        {
            BinaryOperatorKind.LessThan => signed ? a < b : ua < ub,
            BinaryOperatorKind.LessThanOrEqual => signed ? a <= b : ua <= ub,
            BinaryOperatorKind.GreaterThan => signed ? a > b : ua > ub,
            BinaryOperatorKind.GreaterThanOrEqual => signed ? a >= b : ua >= ub,
            BinaryOperatorKind.NotEquals => a != b,
            _ => false,
        };
    }

    private static bool Refers(IOperation op, ILocalSymbol local)
    {
        while (op is IConversionOperation c) op = c.Operand;
        return op is ILocalReferenceOperation l && SymbolEqualityComparer.Default.Equals(l.Local, local);
    }

    private static bool WritesLocal(IOperation body, ILocalSymbol local) =>
        body.Descendants().Any(op => op switch
        {
            ISimpleAssignmentOperation a => Refers(a.Target, local),
            ICompoundAssignmentOperation ca => Refers(ca.Target, local),
            IIncrementOrDecrementOperation inc => Refers(inc.Target, local),
            IAddressOfOperation ad => Refers(ad.Reference, local),
            IArgumentOperation { Parameter.RefKind: not RefKind.None } arg => Refers(arg.Value, local),
            _ => false,
        });
}
