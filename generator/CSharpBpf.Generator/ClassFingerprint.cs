using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.Generator;

/// <summary>
/// A hash of what compiling one BPF class reads: the text of every declaration of the class, the
/// declarations of the source types it uses (structs and enums whose layout or values end up in the
/// object, followed through struct fields), the referenced CSharpBpf API assembly, and the parse
/// options. Two equal fingerprints mean the lowering would produce the same object.
/// </summary>
internal static class ClassFingerprint
{
    public static string Compute(INamedTypeSymbol type, Compilation compilation, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var trees = new HashSet<SyntaxTree>();
        foreach (var r in type.DeclaringSyntaxReferences)
        {
            var node = r.GetSyntax(ct);
            sb.Append(r.SyntaxTree.FilePath).Append('\n').Append(node.ToFullString()).Append('\n');
            trees.Add(r.SyntaxTree);
        }
        foreach (var t in trees) sb.Append(string.Join(",", t.Options.PreprocessorSymbolNames)).Append('\n');

        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { type };
        var queue = new Queue<INamedTypeSymbol>();
        foreach (var r in type.DeclaringSyntaxReferences)
        {
            var model = compilation.GetSemanticModel(r.SyntaxTree);
            foreach (var name in r.GetSyntax(ct).DescendantNodes().OfType<SimpleNameSyntax>())
            {
                ct.ThrowIfCancellationRequested();
                var s = model.GetSymbolInfo(name, ct).Symbol;
                AddDependency(s as INamedTypeSymbol ?? s?.ContainingType, type, seen, queue);
                if (s is IFieldSymbol f) AddDependency(f.Type as INamedTypeSymbol, type, seen, queue);
            }
        }
        while (queue.Count > 0)
        {
            var dep = queue.Dequeue();
            foreach (var r in dep.DeclaringSyntaxReferences)
                sb.Append(r.SyntaxTree.FilePath).Append('\n').Append(r.GetSyntax(ct).ToFullString()).Append('\n');
            foreach (var f in dep.GetMembers().OfType<IFieldSymbol>())
                AddDependency(f.Type as INamedTypeSymbol, type, seen, queue);
        }

        foreach (var asm in compilation.ReferencedAssemblyNames.Where(a => a.Name == "CSharpBpf").OrderBy(a => a.ToString()))
            sb.Append(asm).Append('\n');

        using var sha = SHA256.Create();
        return System.Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Source-declared types other than the class itself (metadata types only change with the references).</summary>
    private static void AddDependency(INamedTypeSymbol? t, INamedTypeSymbol self, HashSet<ISymbol> seen, Queue<INamedTypeSymbol> queue)
    {
        if (t is null) return;
        t = t.OriginalDefinition;
        if (!t.Locations.Any(l => l.IsInSource)) return;
        if (!seen.Add(t)) return;
        if (SymbolEqualityComparer.Default.Equals(t, self)) return;
        queue.Enqueue(t);
    }
}
