using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using CSharpBpf.Compiler.Frontend;

namespace CSharpBpf.Compiler.Diagnostics;

/// <summary>
/// A diagnostic as a value: descriptor id, message arguments and a location made of plain data.
/// Incremental generator models must be equatable and must not hold syntax trees (a Location does),
/// so the compiler returns these and the generator turns them into <see cref="Diagnostic"/>s.
/// </summary>
public sealed record DiagnosticInfo(string Id, EquatableArray<string> Arguments, string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
    {
        location ??= Location.None;
        var line = location.GetLineSpan();
        return new DiagnosticInfo(descriptor.Id,
            new EquatableArray<string>(args.Select(a => a?.ToString() ?? "").ToArray()),
            location.SourceTree?.FilePath ?? line.Path ?? "",
            location.SourceSpan,
            line.Span);
    }

    public DiagnosticDescriptor Descriptor => BpfDiagnosticCatalog.ById(Id);

    public Location ToLocation() =>
        FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, ToLocation(), Arguments.AsArray().Cast<object>().ToArray());

    /// <summary>The message as the user sees it (for tests and logs).</summary>
    public string Message => ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"{FilePath}({LineSpan.Start.Line + 1},{LineSpan.Start.Character + 1}): {Id}: {Message}";
}

/// <summary>Finds descriptors of <see cref="BpfDiagnostics"/> by id (reflection once, so the list lives in one file).</summary>
public static class BpfDiagnosticCatalog
{
    private static readonly Lazy<DiagnosticDescriptor[]> LazyAll = new(() =>
        typeof(BpfDiagnostics).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray());

    public static DiagnosticDescriptor[] All => LazyAll.Value;

    public static DiagnosticDescriptor ById(string id) =>
        All.FirstOrDefault(d => d.Id == id) ?? BpfDiagnostics.InternalError;
}
