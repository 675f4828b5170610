using System;
using System.Diagnostics;
using System.IO;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Generator.Tests;

/// <summary>
/// The shipped MSBuild target end to end: a throwaway project using the generator as an analyzer and
/// importing build/CSharpBpf.Generator.targets is built with the real SDK; its output folder must
/// then hold Counter.bpf.o, a BPF ELF object equal to the bytes embedded in the skeleton.
/// </summary>
public class BuildTargetTests
{
    private readonly ITestOutputHelper _out;
    public BuildTargetTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Build_writes_class_bpf_o_to_the_output_folder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "csbpf-target-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string bin = Path.GetDirectoryName(typeof(BpfGenerator).Assembly.Location)!;
            string api = typeof(CSharpBpf.XdpAttribute).Assembly.Location;
            string targets = Path.Combine(RepoPaths.Root, "generator", "CSharpBpf.Generator", "build", "CSharpBpf.Generator.targets");
            File.WriteAllText(Path.Combine(dir, "Sample.csproj"), $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include=""CSharpBpf""><HintPath>{api}</HintPath></Reference>
    <Analyzer Include=""{bin}/CSharpBpf.Generator.dll;{bin}/CSharpBpf.Compiler.dll;{bin}/CSharpBpf.Object.dll"" />
  </ItemGroup>
  <Import Project=""{targets}"" />
</Project>");
            File.WriteAllText(Path.Combine(dir, "Counter.cs"), GeneratorOutputTests.Counter);
            var psi = new ProcessStartInfo("dotnet", "build -nodeReuse:false -p:UseSharedCompilation=false -v:m")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(600_000), "dotnet build did not finish in 10 minutes");
            _out.WriteLine(stdout);
            Assert.True(p.ExitCode == 0, "the sample project failed to build:\n" + stdout + stderr);

            string obj = Path.Combine(dir, "bin", "Debug", "net10.0", "Counter.bpf.o");
            Assert.True(File.Exists(obj), "Counter.bpf.o was not written to the output folder");
            byte[] bytes = File.ReadAllBytes(obj);
            Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, bytes[..4]);
            Assert.Equal(247, BitConverter.ToUInt16(bytes, 18)); // e_machine = EM_BPF

            var skeletons = Directory.GetFiles(Path.Combine(dir, "obj"), "Demo.Counter.bpf.g.cs", SearchOption.AllDirectories);
            Assert.True(skeletons.Length == 1, "the generated skeleton is not under obj/: " + string.Join(", ", Directory.GetFiles(dir, "*.g.cs", SearchOption.AllDirectories)));
            string skeleton = skeletons[0];
            string marker = Array.Find(File.ReadAllLines(skeleton), l => l.StartsWith(SkeletonWriter.ObjectMarker, StringComparison.Ordinal))!;
            Assert.Equal(Convert.FromBase64String(marker.Split(' ')[^1]), bytes);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
