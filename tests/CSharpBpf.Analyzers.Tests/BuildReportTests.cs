using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.Generator;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>
/// End to end with the real SDK and csc: generator + analyzers + both build files, as build/CSharpBpf.InRepo.targets
/// wires them. A BPF error is printed exactly once whether analyzers run (analyzer reports) or are skipped
/// (generator reports), and the [Map] field warning is suppressed either way (suppressors run under /skipanalyzers).
/// </summary>
public class BuildReportTests
{
    private const string Program = Sources.Header + """
        public static unsafe partial class Built
        {
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Counts;
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Spare;
            static int plain;

            [Xdp]
            static XdpAction Count(xdp_md* ctx)
            {
                ulong* n = Counts.Lookup(0);
                *n += 1;
                return XdpAction.Pass;
            }
        }
        """;

    private readonly ITestOutputHelper _out;
    public BuildReportTests(ITestOutputHelper output) => _out = output;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BpfError_PrintedOnce_MapWarningSuppressed(bool runAnalyzers)
    {
        string dir = Path.Combine(Path.GetTempPath(), "csbpf-analyzers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string generatorBin = Path.GetDirectoryName(typeof(BpfGenerator).Assembly.Location)!;
            string analyzersBin = Path.GetDirectoryName(typeof(BpfClassAnalyzer).Assembly.Location)!;
            string api = typeof(CSharpBpf.XdpAttribute).Assembly.Location;
            string generatorTargets = Path.Combine(RepoPaths.Root, "generator", "CSharpBpf.Generator", "build", "CSharpBpf.Generator.targets");
            string analyzersTargets = Path.Combine(RepoPaths.Root, "analyzers", "CSharpBpf.Analyzers", "build", "CSharpBpf.Analyzers.targets");
            File.WriteAllText(Path.Combine(dir, "Sample.csproj"), $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include=""CSharpBpf""><HintPath>{api}</HintPath></Reference>
    <Analyzer Include=""{generatorBin}/CSharpBpf.Generator.dll;{generatorBin}/CSharpBpf.Compiler.dll;{generatorBin}/CSharpBpf.Object.dll"" />
    <Analyzer Include=""{analyzersBin}/CSharpBpf.Analyzers.dll;{analyzersBin}/CSharpBpf.Verifier.dll"" />
  </ItemGroup>
  <Import Project=""{generatorTargets}"" />
  <Import Project=""{analyzersTargets}"" />
</Project>");
            File.WriteAllText(Path.Combine(dir, "Prog.cs"), Program);
            var psi = new ProcessStartInfo("dotnet",
                $"build -nodeReuse:false -p:UseSharedCompilation=false -p:RunAnalyzers={runAnalyzers.ToString().ToLowerInvariant()} -v:m -clp:NoSummary")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(600_000), "dotnet build did not finish in 10 minutes");
            _out.WriteLine(stdout);
            var lines = stdout.Split('\n');

            Assert.NotEqual(0, p.ExitCode);
            // The console logger repeats every csc diagnostic (inline and per project), so compare with the
            // CS0169 of 'plain', which csc reports exactly once: a BPF error reported twice would show twice as often.
            var errors = lines.Where(l => l.Contains("error BPF")).ToList();
            var plainWarnings = lines.Where(l => l.Contains("warning CS0169") && l.Contains("'Built.plain'")).ToList();
            Assert.NotEmpty(plainWarnings);
            Assert.Equal(plainWarnings.Count, errors.Count);
            Assert.All(errors, e => Assert.Contains("Prog.cs(13,9): error BPF1002: 'n' may be null", e));

            Assert.DoesNotContain(lines, l => l.Contains("'Built.Counts'") || l.Contains("'Built.Spare'"));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
