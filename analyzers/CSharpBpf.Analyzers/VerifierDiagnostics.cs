using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Object.Objects;
using CSharpBpf.Verifier;

namespace CSharpBpf.Analyzers;

/// <summary>
/// Runs the managed verifier on a compiled class's object and reports each refusal (BPF1005) at the C#
/// span its instruction came from (line_info: file, line, column), or at the program method when the
/// instruction has no line record.
/// </summary>
internal static class VerifierDiagnostics
{
    public static List<Diagnostic> For(Compilation compilation, INamedTypeSymbol type, byte[] elf, CancellationToken ct)
    {
        var diagnostics = new List<Diagnostic>();
        IReadOnlyList<VerificationResult> results;
        try
        {
            results = BpfVerifier.VerifyObject(BpfObjectFile.Read(elf));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The verifier is a model of the kernel's; a failure inside it must not become a user-facing error
            // (the compiler already accepted the class, and the kernel decides at load time).
            return diagnostics;
        }
        foreach (var result in results)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var error in result.Errors)
            {
                var location = (error.Source is { } src ? SourceSpans.FromLineColumn(compilation, src.FileName, src.Line, src.Column) : null)
                    ?? ProgramLocation(type, result.ProgramName);
                diagnostics.Add(Diagnostic.Create(BpfDiagnostics.VerifierRejects, location, result.ProgramName, error.Message, error.Code));
            }
        }
        return diagnostics;
    }

    private static Location ProgramLocation(INamedTypeSymbol type, string program) =>
        type.GetMembers(program).FirstOrDefault()?.Locations.FirstOrDefault() ?? type.Locations.FirstOrDefault() ?? Location.None;
}
