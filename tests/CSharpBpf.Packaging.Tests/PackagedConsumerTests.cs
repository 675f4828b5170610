using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Packaging.Tests;

/// <summary>
/// A user outside the repository gets everything from package references: the packages hold what they
/// should, a console app with an [Xdp] class builds, gets its .bpf.o, and runs it in the VM (and in the
/// kernel when allowed); a broken BPF class fails the build with its diagnostic printed once at its line.
/// </summary>
public sealed class PackagedConsumerTests : IClassFixture<PackagedConsumerFixture>
{
    private readonly PackagedConsumerFixture _f;
    private readonly ITestOutputHelper _out;

    public PackagedConsumerTests(PackagedConsumerFixture fixture, ITestOutputHelper output)
    {
        _f = fixture;
        _out = output;
    }

    [Fact]
    public void Pack_ProducesEveryPackage_InTheOneVersion_WithTheirContents()
    {
        Assert.True(_f.Pack.ExitCode == 0, _f.Pack.ToString());
        var produced = Directory.GetFiles(_f.Feed, "*.nupkg").Select(Path.GetFileName).OrderBy(n => n).ToArray();
        Assert.Equal(PackagedConsumerFixture.PackageIds.Select(id => $"{id}.{_f.Version}.nupkg").OrderBy(n => n), produced);

        var api = Entries("CSharpBpf");
        Assert.Contains("lib/net10.0/CSharpBpf.dll", api);
        foreach (string dll in new[] { "Generator", "Compiler", "Object", "Verifier", "Analyzers", "Analyzers.CodeFixes" })
            Assert.Contains($"analyzers/dotnet/cs/CSharpBpf.{dll}.dll", api);
        foreach (string targets in new[] { "build/CSharpBpf.targets", "build/CSharpBpf.Generator.targets", "build/CSharpBpf.Analyzers.targets", "buildTransitive/CSharpBpf.targets" })
            Assert.Contains(targets, api);
        Assert.Empty(Dependencies("CSharpBpf")); // the generator's Roslyn is the compiler's own

        Assert.Contains("lib/netstandard2.0/CSharpBpf.Object.dll", Entries("CSharpBpf.Object"));
        Assert.Empty(Dependencies("CSharpBpf.Object"));
        Assert.Contains("lib/netstandard2.0/CSharpBpf.Verifier.dll", Entries("CSharpBpf.Verifier"));
        Assert.Equal(new[] { "CSharpBpf.Object " + _f.Version }, Dependencies("CSharpBpf.Verifier"));
        Assert.Contains("lib/net10.0/CSharpBpf.Vm.dll", Entries("CSharpBpf.Vm"));
        Assert.Equal(new[] { "CSharpBpf.Object " + _f.Version, "CSharpBpf.Verifier " + _f.Version }, Dependencies("CSharpBpf.Vm"));
        Assert.Contains("lib/net10.0/CSharpBpf.Linux.dll", Entries("CSharpBpf.Linux"));
        Assert.Equal(new[] { "CSharpBpf.Object " + _f.Version }, Dependencies("CSharpBpf.Linux"));
    }

    [Fact]
    public void ConsoleApp_FromPackages_Builds_WritesAValidObject_AndRunsIt()
    {
        Assert.True(_f.AppBuild.ExitCode == 0, _f.AppBuild.ToString());
        _out.WriteLine(_f.AppBuild.Output);
        Assert.Contains(_f.AppBuild.Lines, l => l.StartsWith("CSharpBpf: wrote", StringComparison.Ordinal) && l.EndsWith("Counter.bpf.o", StringComparison.Ordinal));

        // The runtime packages brought their dependencies along.
        foreach (string dll in new[] { "CSharpBpf", "CSharpBpf.Vm", "CSharpBpf.Linux", "CSharpBpf.Verifier", "CSharpBpf.Object" })
            Assert.True(File.Exists(Path.Combine(_f.AppOutput, dll + ".dll")), dll + ".dll missing from " + _f.AppOutput);
        // Analyzer assemblies are the compiler's, never the app's.
        Assert.False(File.Exists(Path.Combine(_f.AppOutput, "CSharpBpf.Generator.dll")));

        string objectPath = Path.Combine(_f.AppOutput, "Counter.bpf.o");
        Assert.True(File.Exists(objectPath), "no Counter.bpf.o in " + _f.AppOutput);
        var obj = BpfObjectFile.Read(File.ReadAllBytes(objectPath));
        Assert.Equal(247, (int)obj.Elf!.Machine); // EM_BPF
        var program = Assert.Single(obj.Programs);
        Assert.Equal("Count", program.Name);
        Assert.Equal("xdp", program.SectionName);
        Assert.NotNull(obj.FindMap("Seen"));
        Assert.NotNull(obj.Btf);
        Assert.Equal("GPL", obj.License);

        Assert.NotNull(_f.AppRun);
        _out.WriteLine(_f.AppRun!.ToString());
        Assert.True(_f.AppRun.ExitCode == 0, _f.AppRun.ToString());
        // XDP_PASS = 2 for 64 bytes, XDP_DROP = 1 for 200; the map counted both runs. The skeleton's LoadVm
        // (interpreter) and the raw object in the test host (JIT) agree.
        Assert.Contains("vm: small=2 large=1 seen=2", _f.AppRun.Lines);
        Assert.Contains("raw: small=2 large=1 seen=2", _f.AppRun.Lines);
        if (KernelCapability.CanLoadBpf)
            Assert.Contains("kernel: small=2 large=1 seen=2", _f.AppRun.Lines);
        else
            _out.WriteLine("kernel part not run: " + KernelCapability.SkipReason);
    }

    [Fact]
    public void BadProgram_FromPackages_FailsTheBuild_WithTheBpfDiagnosticOnce_AtItsLine()
    {
        _out.WriteLine(_f.BadBuild.ToString());
        Assert.NotEqual(0, _f.BadBuild.ExitCode);
        Assert.True(_f.Pack.ExitCode == 0, _f.Pack.ToString());

        // The console logger repeats every diagnostic in its summary; CS0219 (the unused local), which csc
        // reports once, shows how often one report is printed. A BPF error reported twice (generator and
        // analyzer) would be printed twice as often.
        var bpfErrors = _f.BadBuild.Lines.Where(l => l.Contains("error BPF", StringComparison.Ordinal)).ToList();
        var reference = _f.BadBuild.Lines.Where(l => l.Contains("warning CS0219", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reference);
        Assert.Equal(reference.Count, bpfErrors.Count);
        string expectedAt = Path.Combine(_f.BadDir, "Careless.cs") + $"({ConsumerProjects.BadLine},9): error BPF1002:";
        Assert.All(bpfErrors, e => Assert.StartsWith(expectedAt, e));
        Assert.Contains(_f.BadBuild.Lines, l => l == "1 Error(s)");
        Assert.False(File.Exists(Path.Combine(_f.BadDir, "bin", "Debug", "net10.0", "Careless.bpf.o")), "a failed class must not leave an object");
    }

    private IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(_f.PackagePath(id));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>"id version" of every dependency in the nuspec, sorted.</summary>
    private IReadOnlyList<string> Dependencies(string id)
    {
        using var zip = ZipFile.OpenRead(_f.PackagePath(id));
        var entry = zip.Entries.Single(e => e.FullName == id + ".nuspec");
        using var stream = entry.Open();
        var nuspec = XDocument.Load(stream);
        return nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => $"{(string?)e.Attribute("id")} {(string?)e.Attribute("version")}")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
    }
}
