using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Analyzers;

/// <summary>
/// Turns plain-data positions (the compiler's <see cref="DiagnosticInfo"/>, the verifier's line_info
/// file/line/column) into Locations inside the compilation's syntax trees. The IDE squiggles and code
/// fixes only work on in-source locations; DiagnosticInfo.ToLocation() gives an external-file location.
/// </summary>
internal static class SourceSpans
{
    public static SyntaxTree? TreeFor(Compilation compilation, string filePath) =>
        filePath.Length == 0 ? null : compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == filePath);

    public static Location ToLocation(Compilation compilation, DiagnosticInfo info, Location fallback)
    {
        var tree = TreeFor(compilation, info.FilePath);
        if (tree is null) return info.FilePath.Length == 0 ? fallback : info.ToLocation();
        var length = tree.Length;
        if (info.Span.End > length) return fallback;
        return Location.Create(tree, info.Span);
    }

    /// <summary>
    /// A 1-based line and column (line_info) → the text from the column to the end of the line, trailing
    /// whitespace excluded: narrowed to the expression or statement starting there when one ends on that line.
    /// </summary>
    public static Location? FromLineColumn(Compilation compilation, string filePath, int line, int column)
    {
        var tree = TreeFor(compilation, filePath);
        if (tree is null) return null;
        var text = tree.GetText();
        if (line < 1 || line > text.Lines.Count) return null;
        var l = text.Lines[line - 1];
        int start = Math.Min(l.End, l.Start + Math.Max(0, column - 1));
        int end = l.End;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        // Narrow to the largest expression or statement that starts at the column and ends on the line
        // (line_info columns point at the expression the instruction computes: data[0], not "data[0];").
        var token = tree.GetRoot().FindToken(start);
        TextSpan? best = null;
        for (var n = token.Parent; n is not null && n.SpanStart == start && n.Span.End <= end; n = n.Parent)
            if (n is Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax) best = n.Span;
        return Location.Create(tree, best ?? TextSpan.FromBounds(start, end));
    }
}
