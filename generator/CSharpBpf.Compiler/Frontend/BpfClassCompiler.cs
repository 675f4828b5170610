using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// The compiler's front door: one C# class with BPF programs in, one ELF object (or diagnostics) out.
/// Never throws except for cancellation: any internal failure becomes a BPF0999 diagnostic at the class,
/// so the generator (and the IDE hosting it) never crashes on user code.
/// </summary>
public static class BpfClassCompiler
{
    public static CompiledBpfClass Compile(Compilation compilation, INamedTypeSymbol type, CancellationToken ct = default) =>
        Compile(compilation, type, TargetOptions.Default, ct);

    public static CompiledBpfClass Compile(Compilation compilation, INamedTypeSymbol type, TargetOptions options, CancellationToken ct)
    {
        var diags = new List<DiagnosticInfo>();
        byte[] obj = Array.Empty<byte>();
        var programs = new List<ProgramDescription>();
        var maps = new List<MapDescription>();
        try
        {
            var result = LowerToIr(compilation, type, diags, ct);
            if (result is { } r)
            {
                var (model, module) = r;
                maps.AddRange(model.Maps.Select(m => new MapDescription(m.Field.Name, m.Type.ToString(),
                    m.Key?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? "",
                    m.Value?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? "", m.MaxEntries, m.Flags)));
                try
                {
                    var emitted = ObjectEmission.Emit(module, options);
                    obj = emitted.Object;
                    programs.AddRange(model.Programs.Select(p => new ProgramDescription(p.Method.Name, p.Section, p.Kind,
                        emitted.InstructionCounts.TryGetValue(p.Method.Name, out var n) ? n : 0)));
                }
                catch (BackendException e)
                {
                    diags.Add(DiagnosticInfo.Create(BpfDiagnostics.BackendError, LocationFor(e.Location, type), $"{e.Function}: {e.Reason}"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.InternalError, type.Locations.FirstOrDefault(), type.Name, e.GetType().Name + ": " + e.Message));
        }
        if (diags.Count > 0) obj = Array.Empty<byte>();
        return new CompiledBpfClass(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            type.Name,
            SyntaxFacts(type.DeclaredAccessibility),
            new EquatableArray<byte>(obj),
            new EquatableArray<ProgramDescription>(programs.ToArray()),
            new EquatableArray<MapDescription>(maps.ToArray()),
            new EquatableArray<DiagnosticInfo>(diags.Distinct().ToArray()));
    }

    /// <summary>C# → IR only (tests and tools that inspect the IR). Null when there were errors (in <paramref name="diags"/>).</summary>
    public static (BpfClassModel Model, IrModule Module)? LowerToIr(Compilation compilation, INamedTypeSymbol type, List<DiagnosticInfo> diags, CancellationToken ct = default)
    {
        var known = new KnownSymbols(compilation);
        var model = BpfClassModel.Build(type, known, diags);
        if (diags.Count > 0) return null;
        var lowering = new ModuleLowering(compilation, model, known, diags);
        var module = lowering.Lower(ct);
        return module is null ? null : (model, module);
    }

    private static Location LocationFor(SourceLocation loc, INamedTypeSymbol type)
    {
        if (!loc.IsNone)
        {
            foreach (var r in type.DeclaringSyntaxReferences)
            {
                if (r.SyntaxTree.FilePath != loc.File) continue;
                var text = r.SyntaxTree.GetText();
                if (loc.Line - 1 < text.Lines.Count)
                {
                    var line = text.Lines[loc.Line - 1];
                    int start = Math.Min(line.End, line.Start + Math.Max(0, loc.Column - 1));
                    return Location.Create(r.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, line.End));
                }
            }
        }
        return type.Locations.FirstOrDefault() ?? Location.None;
    }

    private static string SyntaxFacts(Accessibility a) => a switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        _ => "internal",
    };
}
