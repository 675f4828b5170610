using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport.Docs;
using CSharpBpf.Verifier;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Tests.Docs;

/// <summary>
/// Builds a documentation code block as a user's project would: one file compiled with the API and both runtimes
/// referenced (so the skeleton's LoadVm/LoadKernel exist), the source generator run over it, and every object it
/// produced checked by the managed verifier (what the analyzers report as BPF1005 at build time).
/// </summary>
public static class DocExampleRunner
{
    public sealed record Outcome(IReadOnlyList<Diagnostic> BpfDiagnostics, IReadOnlyList<Diagnostic> CompileErrors,
        IReadOnlyList<(string Class, VerificationResult Result)> Verification, Compilation Output, int ObjectCount)
    {
        public IEnumerable<string> VerifierRejections =>
            Verification.Where(v => !v.Result.IsAccepted)
                .SelectMany(v => v.Result.Errors.Select(e => $"{v.Class}.{v.Result.ProgramName}: [{e.Code}] {e.Message} at {e.Source?.FileName}:{e.Source?.Line}"));

        public string Describe() => string.Join("\n", BpfDiagnostics.Select(d => d.ToString())
            .Concat(CompileErrors.Select(d => d.ToString())).Concat(VerifierRejections));
    }

    public static Outcome Build(DocCodeBlock block)
    {
        var c = GeneratorHarness.CompilationWithRuntimes(true, true, (block.Name + ".cs", block.Text))
            .AddReferences(MetadataReference.CreateFromFile(typeof(BpfVerifier).Assembly.Location));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out var output, out var generatorDiags);
        var run = driver.GetRunResult();
        if (run.Results.Single().Exception is { } e) throw new InvalidOperationException("the generator threw on " + block, e);
        var bpf = generatorDiags.Where(d => d.Id.StartsWith("BPF", StringComparison.Ordinal)).ToList();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("BPF", StringComparison.Ordinal)).ToList();
        var verification = new List<(string, VerificationResult)>();
        int objects = 0;
        foreach (var source in run.Results.Single().GeneratedSources)
        {
            foreach (var line in source.SourceText.Lines)
            {
                string text = line.ToString();
                if (!text.StartsWith(SkeletonWriter.ObjectMarker, StringComparison.Ordinal)) continue;
                var parts = text.Substring(SkeletonWriter.ObjectMarker.Length).Split(' ');
                objects++;
                foreach (var r in BpfVerifier.VerifyObject(BpfObjectFile.Read(Convert.FromBase64String(parts[1]))))
                    verification.Add((parts[0], r));
            }
        }
        return new Outcome(bpf, errors, verification, output, objects);
    }

    /// <summary>Emits the compilation and calls each <c>// run:</c> method (static, no arguments); an exception is a failure.</summary>
    public static void RunMethods(DocCodeBlock block, Compilation output)
    {
        if (block.RunMethods.Count == 0) return;
        using var pe = new MemoryStream();
        var emit = output.Emit(pe);
        if (!emit.Success) throw new InvalidOperationException(string.Join("\n", emit.Diagnostics));
        var assembly = Assembly.Load(pe.ToArray());
        foreach (var name in block.RunMethods)
        {
            int dot = name.LastIndexOf('.');
            var type = assembly.GetType(name.Substring(0, dot)) ?? throw new InvalidOperationException($"{block}: no type {name.Substring(0, dot)}");
            var method = type.GetMethod(name.Substring(dot + 1), BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes)
                ?? throw new InvalidOperationException($"{block}: no static parameterless method {name}");
            try { method.Invoke(null, null); }
            catch (TargetInvocationException t) when (t.InnerException is not null)
            {
                throw new InvalidOperationException($"{block}: {name} failed: {t.InnerException.Message}", t.InnerException);
            }
        }
    }
}
