using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CSharpBpf.Samples.Tests;

/// <summary>
/// Compiles a sample's C# BPF class from its source file with CSharpBpf's compiler, in-process (the
/// same BpfClassCompiler the source generator runs), so tests check the sample's own code.
/// </summary>
public static class SampleCompiler
{
    private static readonly Dictionary<string, byte[]> Cache = new();

    /// <param name="relativePath">e.g. "samples/TcpCongestion/CsReno.cs"</param>
    /// <param name="typeName">e.g. "TcpCongestion.CsReno"</param>
    public static byte[] Compile(string relativePath, string typeName)
    {
        lock (Cache)
        {
            string key = relativePath + "|" + typeName;
            if (Cache.TryGetValue(key, out var cached)) return cached;
            string path = Path.Combine(RepoPaths.Root, relativePath);
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path: path);
            var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Select(p => MetadataReference.CreateFromFile(p))
                .Append(MetadataReference.CreateFromFile(typeof(MapAttribute).Assembly.Location))
                .GroupBy(r => Path.GetFileName(r.FilePath)).Select(g => g.First());
            var compilation = CSharpCompilation.Create("sample", new[] { tree }, refs,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0) throw new InvalidOperationException($"{relativePath} does not compile as C#:\n{string.Join("\n", errors)}");
            var type = compilation.GetTypeByMetadataName(typeName) ?? throw new InvalidOperationException($"{typeName} not found in {relativePath}");
            var compiled = BpfClassCompiler.Compile(compilation, type);
            var bpfErrors = compiled.Diagnostics.Select(d => d.ToDiagnostic()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            byte[] bytes = compiled.Object.AsArray();
            if (bpfErrors.Count > 0 || bytes.Length == 0)
                throw new InvalidOperationException($"{typeName} does not compile to eBPF:\n{string.Join("\n", bpfErrors)}");
            Cache[key] = bytes;
            return bytes;
        }
    }
}
