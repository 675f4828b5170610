using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CSharpBpf.Generator.Tests;

/// <summary>Runs <see cref="BpfGenerator"/> on in-memory sources through a GeneratorDriver with step tracking on.</summary>
public static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
            .Where(p => p.Length > 0)
            // the test host lists every CSharpBpf assembly this project references; a compilation gets the API only,
            // and the runtimes (which switch the skeleton's entry points on) only when a test asks for them
            .Where(p => !System.IO.Path.GetFileName(p).StartsWith("CSharpBpf.", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(CSharpBpf.XdpAttribute).Assembly.Location))
            .ToArray());

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create("GenTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The runtime assemblies whose reference turns the skeleton's entry points on (LoadVm, LoadKernel).</summary>
    public static MetadataReference VmReference => MetadataReference.CreateFromFile(typeof(CSharpBpf.Vm.Host.BpfTestHost).Assembly.Location);
    public static MetadataReference LinuxReference => MetadataReference.CreateFromFile(typeof(CSharpBpf.Linux.Loader.BpfObject).Assembly.Location);

    /// <summary>A compilation that also references CSharpBpf.Vm and/or CSharpBpf.Linux (and what they reference).</summary>
    public static CSharpCompilation CompilationWithRuntimes(bool vm, bool linux, params (string Path, string Text)[] sources)
    {
        var c = Compilation(sources);
        var extra = new System.Collections.Generic.List<MetadataReference>
        {
            MetadataReference.CreateFromFile(typeof(CSharpBpf.Object.Isa.Instruction).Assembly.Location),
        };
        if (vm) extra.Add(VmReference);
        if (linux) extra.Add(LinuxReference);
        return c.AddReferences(extra);
    }

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            new[] { new BpfGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Replaces the tree at <paramref name="path"/> with new text.</summary>
    public static Compilation Edit(Compilation c, string path, string newText)
    {
        var old = c.SyntaxTrees.Single(t => t.FilePath == path);
        return c.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText, ParseOptions, path));
    }
}
