using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Locals and parameters that must live in memory rather than a register: their address is taken
/// (&amp;x), they are passed by ref/out/in, or a ref local refers to them. Struct locals always live in
/// memory; this finds the scalars that must too.
/// </summary>
public static class AddressTakenLocals
{
    public static HashSet<ISymbol> Find(IOperation body)
    {
        var set = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var op in body.Descendants())
        {
            switch (op)
            {
                case IAddressOfOperation a: Add(a.Reference, set); break;
                case IArgumentOperation { Parameter.RefKind: not RefKind.None } arg: Add(arg.Value, set); break;
                case IVariableDeclaratorOperation { Symbol.IsRef: true, Initializer.Value: { } v }: Add(v, set); break;
                case ISimpleAssignmentOperation { IsRef: true } ra: Add(ra.Value, set); break;
                case IReturnOperation { ReturnedValue: { } rv } when rv.Parent is IReturnOperation r && IsRefReturn(r): Add(rv, set); break;
            }
        }
        return set;
    }

    private static bool IsRefReturn(IReturnOperation r) => false; // ref returns are refused by the signature check

    private static void Add(IOperation target, HashSet<ISymbol> set)
    {
        // &s.field or ref s.a[0] pin the whole root local.
        var op = target;
        while (true)
        {
            switch (op)
            {
                case IDeclarationExpressionOperation d: op = d.Expression; continue;
                case ILocalReferenceOperation l: set.Add(l.Local); return;
                case IParameterReferenceOperation p: set.Add(p.Parameter); return;
                case IFieldReferenceOperation { Instance: { } inst } f when f.Instance.Type?.TypeKind == TypeKind.Struct: op = inst; continue;
                default: return;
            }
        }
    }
}
