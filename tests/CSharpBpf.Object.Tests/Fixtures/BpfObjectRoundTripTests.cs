using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Object.Objects;
using Xunit;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>
/// BpfObjectFile written by our writer and read again is the same model; LLVM's tools read our
/// output and disassemble it exactly as they disassemble clang's original.
/// </summary>
public class BpfObjectRoundTripTests
{
    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Read_write_read_gives_the_same_model(string fixture)
    {
        var original = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        var again = BpfObjectFile.Read(original.ToBytes());
        Assert.Equal(ObjectModelText.Describe(original), ObjectModelText.Describe(again));
    }

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Writing_is_deterministic(string fixture)
    {
        var original = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        var once = original.ToBytes();
        Assert.Equal(once, BpfObjectFile.Read(once).ToBytes());
    }

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Written_big_endian_reads_back_as_the_same_model(string fixture)
    {
        var original = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        string little = ObjectModelText.Describe(original);
        original.IsBigEndian = true;
        var big = BpfObjectFile.Read(original.ToBytes());
        Assert.True(big.IsBigEndian);
        Assert.True(big.Elf!.IsBigEndian);
        Assert.Equal(little.Replace("endian=little", "endian=big"), ObjectModelText.Describe(big));
    }

    [SkippableTheory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Llvm_objdump_disassembles_our_output_like_clangs(string fixture)
    {
        Skip.IfNot(ExternalTool.IsInstalled("llvm-objdump-22"), "llvm-objdump-22 is not installed");
        string path = Path.Combine(Path.GetTempPath(), $"csbpf-obj-{Guid.NewGuid():N}.o");
        try
        {
            File.WriteAllBytes(path, BpfObjectFile.Read(FixtureFiles.Bytes(fixture)).ToBytes());
            var ours = ExternalTool.Run("llvm-objdump-22", "-dr", "--no-show-raw-insn", path);
            Assert.Equal(0, ours.ExitCode);
            Assert.Equal("", ours.StdErr);
            Assert.Equal(WithoutFileLine(FixtureFiles.Expected(fixture, "objdump")), WithoutFileLine(ours.StdOut));
            var readelf = ExternalTool.Run("llvm-readelf-22", "-a", "-W", path);
            Assert.Equal(0, readelf.ExitCode);
            Assert.Equal("", readelf.StdErr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WithoutFileLine(string s) =>
        string.Join("\n", s.Replace("\r\n", "\n").Split('\n').Where(l => !Regex.IsMatch(l, @"file format elf64-bpf")).Select(l => l.TrimEnd())).Trim();
}
