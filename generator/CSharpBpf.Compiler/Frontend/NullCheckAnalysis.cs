using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// The verifier rejects dereferencing a map value (or ring buffer reservation, or sk_fullsock
/// result) that may be null. This finds it at build time (BPF1002): a forward "known non-null"
/// dataflow over Roslyn's control-flow graph, where a pointer local becomes maybe-null when assigned
/// from such a call and non-null on the branch where it was compared with null. Like the verifier, it
/// follows the branches; it does not reason about values.
/// </summary>
public static class NullCheckAnalysis
{
    public static void Check(IOperation methodBody, List<DiagnosticInfo> diags)
    {
        if (methodBody is not IMethodBodyOperation mb) return;
        if (!methodBody.Descendants().OfType<IInvocationOperation>().Any(IsNullableSource)) return;
        // every pointer local ever assigned from a nullable source (declarations are assignments in the CFG)
        var tracked = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var d in methodBody.Descendants())
        {
            if (d is IVariableDeclaratorOperation { Initializer.Value: var iv } vd && Strip(iv) is IInvocationOperation i1 && IsNullableSource(i1))
                tracked.Add(vd.Symbol);
            if (d is ISimpleAssignmentOperation a && Strip(a.Target) is ILocalReferenceOperation lr && Strip(a.Value) is IInvocationOperation i2 && IsNullableSource(i2))
                tracked.Add(lr.Local);
        }
        var cfg = ControlFlowGraph.Create(mb);
        Analyze(cfg, tracked, diags);
    }

    private static void Analyze(ControlFlowGraph cfg, HashSet<ILocalSymbol> tracked, List<DiagnosticInfo> diags)
    {
        foreach (var lf in cfg.LocalFunctions) Analyze(cfg.GetLocalFunctionControlFlowGraph(lf), tracked, diags);
        var blocks = cfg.Blocks;
        var entry = new HashSet<ILocalSymbol>?[blocks.Length]; // null = not reached yet (top)
        entry[0] = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var reported = new HashSet<SyntaxNode>();
        bool changed = true;
        for (int round = 0; changed && round < 64; round++)
        {
            changed = false;
            foreach (var block in blocks)
            {
                if (entry[block.Ordinal] is not { } inState) continue;
                var state = new HashSet<ILocalSymbol>(inState, SymbolEqualityComparer.Default);
                foreach (var op in block.Operations) Transfer(op, state, tracked, diags, reported);
                if (block.BranchValue is { } bv) Transfer(bv, state, tracked, diags, reported);

                var (whenTrue, whenFalse) = Refine(block.BranchValue, state);
                if (block.ConditionKind == ControlFlowConditionKind.None)
                    changed |= Merge(entry, block.FallThroughSuccessor?.Destination, state);
                else
                {
                    bool condIsTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    changed |= Merge(entry, block.ConditionalSuccessor?.Destination, condIsTrue ? whenTrue : whenFalse);
                    changed |= Merge(entry, block.FallThroughSuccessor?.Destination, condIsTrue ? whenFalse : whenTrue);
                }
            }
        }
    }

    private static bool Merge(HashSet<ILocalSymbol>?[] entry, BasicBlock? dest, HashSet<ILocalSymbol> state)
    {
        if (dest is null) return false;
        var cur = entry[dest.Ordinal];
        if (cur is null)
        {
            entry[dest.Ordinal] = new HashSet<ILocalSymbol>(state, SymbolEqualityComparer.Default);
            return true;
        }
        int before = cur.Count;
        cur.IntersectWith(state);
        return cur.Count != before;
    }

    /// <summary>Reports dereferences of maybe-null locals, then applies the operation's assignments.</summary>
    private static void Transfer(IOperation op, HashSet<ILocalSymbol> nonNull, HashSet<ILocalSymbol> tracked, List<DiagnosticInfo> diags, HashSet<SyntaxNode> reported)
    {
        foreach (var d in op.DescendantsAndSelf())
        {
            if (d.Kind == OperationKind.None && d.Syntax is not StackAllocArrayCreationExpressionSyntax &&
                d.ChildOperations.FirstOrDefault() is { } first && Strip(first) is ILocalReferenceOperation { Local: var l } &&
                l.Type is IPointerTypeSymbol && tracked.Contains(l) && !nonNull.Contains(l) && reported.Add(d.Syntax))
            {
                var node = d.Syntax.Parent is MemberAccessExpressionSyntax ma && ma.Expression == d.Syntax ? ma : d.Syntax;
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.NullableDereference, node.GetLocation(), l.Name));
            }
        }
        foreach (var d in op.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>())
        {
            if (Strip(d.Target) is not ILocalReferenceOperation { Local: var target } || target.Type is not IPointerTypeSymbol) continue;
            var value = Strip(d.Value);
            if (value is IInvocationOperation inv && IsNullableSource(inv)) nonNull.Remove(target);
            else if (value is ILocalReferenceOperation { Local: var src } && tracked.Contains(src))
            {
                if (nonNull.Contains(src)) nonNull.Add(target); else nonNull.Remove(target);
            }
            else nonNull.Add(target);
        }
    }

    /// <summary>The states after the branch condition is true and false.</summary>
    private static (HashSet<ILocalSymbol> WhenTrue, HashSet<ILocalSymbol> WhenFalse) Refine(IOperation? cond, HashSet<ILocalSymbol> state)
    {
        var t = new HashSet<ILocalSymbol>(state, SymbolEqualityComparer.Default);
        var f = new HashSet<ILocalSymbol>(state, SymbolEqualityComparer.Default);
        if (cond is not null && Strip(cond) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } b)
        {
            ILocalSymbol? local = null;
            if (IsNull(b.RightOperand) && Strip(b.LeftOperand) is ILocalReferenceOperation l1) local = l1.Local;
            else if (IsNull(b.LeftOperand) && Strip(b.RightOperand) is ILocalReferenceOperation l2) local = l2.Local;
            if (local is not null)
            {
                if (b.OperatorKind == BinaryOperatorKind.NotEquals) t.Add(local); else f.Add(local);
            }
        }
        return (t, f);
    }

    private static bool IsNull(IOperation op)
    {
        foreach (var o in new[] { op, Strip(op) })
            if (o.ConstantValue.HasValue && (o.ConstantValue.Value is null || (o.ConstantValue.Value is int i && i == 0))) return true;
        return false;
    }

    private static IOperation Strip(IOperation op)
    {
        while (true)
        {
            switch (op)
            {
                case IConversionOperation c: op = c.Operand; continue;
                case IParenthesizedOperation p: op = p.Operand; continue;
                default: return op;
            }
        }
    }

    internal static bool IsNullableSource(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        if (!KnownSymbols.IsInApiNamespace(m.ContainingType)) return false;
        return m.Name is "Lookup" or "Reserve" || (m.Name == "SkFullsock" && m.ContainingType.Name == "Bpf");
    }
}
