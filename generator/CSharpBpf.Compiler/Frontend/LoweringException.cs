using System;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Stops lowering one function with a diagnostic at a C# span: the subset checker refuses most
/// unsupported code up front; this covers the rest, so the lowering never crashes the generator.
/// </summary>
public sealed class LoweringException : Exception
{
    public LoweringException(DiagnosticDescriptor descriptor, SyntaxNode? node, params object?[] args)
        : base(descriptor.Id)
    {
        Info = DiagnosticInfo.Create(descriptor, node?.GetLocation(), args);
    }

    public DiagnosticInfo Info { get; }

    public static LoweringException Unsupported(IOperation op, string what) =>
        new(BpfDiagnostics.UnsupportedOperation, op.Syntax, op.Syntax.ToString(), what);
}
