using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>
/// `csbpf disasm` reproduces `llvm-objdump-22 -d -r --no-show-raw-insn` (default) and
/// `llvm-objdump-22 -d --no-show-raw-insn` (--no-reloc) character for character.
/// </summary>
public class DisasmCommandTests
{
    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (var o in DisasmObjdumpReference.Objects()) data.Add((string)o[0]);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Objects))]
    public void Default_EqualsLlvmObjdumpWithRelocations(string relativeObject) => AssertSame(relativeObject, relocations: true);

    [SkippableTheory]
    [MemberData(nameof(Objects))]
    public void NoReloc_EqualsPlainLlvmObjdump(string relativeObject) => AssertSame(relativeObject, relocations: false);

    static void AssertSame(string relativeObject, bool relocations)
    {
        string path = Path.Combine(RepoPaths.Root, relativeObject);
        var (exit, output, error) = BtfCliTestSupport.Csbpf(relocations ? new[] { "disasm", path } : new[] { "disasm", path, "--no-reloc" });
        Assert.True(exit == 0, error);
        string expected = DisasmObjdumpReference.Expected(relativeObject, relocations);
        string actual = DisasmObjdumpReference.WithPlaceholderPath(output, path);
        // Exact, not merely equal after whitespace normalisation.
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CorpusCoversFixturesAndOwnObjects()
    {
        var names = DisasmObjdumpReference.Objects().Select(o => Path.GetFileName((string)o[0])).ToList();
        Assert.Contains("maps_mix.bpf.o", names);
        Assert.Contains("forms.o", names);
        Assert.Contains("labels.o", names);
    }

    [Fact]
    public void Relocations_NameTheirTargets()
    {
        string path = Path.Combine(GoldenFile.Directory, "disasm", "objects", "isa_v4.bpf.o");
        var (exit, output, _) = BtfCliTestSupport.Csbpf("disasm", path);
        Assert.Equal(0, exit);
        Assert.Matches(new Regex(@"r1 = 0x0 ll\n\t\t[0-9a-f]{16}:  R_BPF_64_64\tcounter64\n"), output);
        Assert.Matches(new Regex(@"call -0x1\n\t\t[0-9a-f]{16}:  R_BPF_64_32\tbpf_ktime_get_ns_kf\n"), output);
    }

    [Fact]
    public void Labels_UseLocalSymbolsLikeLlvm()
    {
        string path = Path.Combine(GoldenFile.Directory, "disasm", "objects", "labels.o");
        var (_, output, _) = BtfCliTestSupport.Csbpf("disasm", path);
        Assert.Contains("if r1 s> 0x5 goto +0x3 <LBB0_2>", output);
        Assert.Contains("0000000000000018 <LBB0_1>:", output);
    }

    [Fact]
    public void Lossless_ShowsCallKindsTheLlvmTextHides()
    {
        string path = Path.Combine(RepoPaths.Fixtures, "calls_globals.bpf.o");
        var (exit, output, _) = BtfCliTestSupport.Csbpf("disasm", path, "--lossless");
        Assert.Equal(0, exit);
        Assert.Contains("call pc+0xa", output);
    }

    [Fact]
    public void MissingFile_FailsWithAMessage()
    {
        var (exit, _, error) = BtfCliTestSupport.Csbpf("disasm", "/nonexistent/x.o");
        Assert.Equal(1, exit);
        Assert.Contains("x.o", error);
    }

    [Fact]
    public void NoArguments_PrintsUsage()
    {
        var (exit, _, error) = BtfCliTestSupport.Csbpf("disasm");
        Assert.Equal(2, exit);
        Assert.Contains("usage", error);
    }

    [Fact]
    public void NotAnElf_FailsWithTheFormatError()
    {
        string path = BtfCliTestSupport.TempFile(new byte[] { 1, 2, 3, 4 });
        try
        {
            var (exit, _, error) = BtfCliTestSupport.Csbpf("disasm", path);
            Assert.Equal(1, exit);
            Assert.Contains("ELF", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CorruptInstruction_FailsNamingTheFileOffset()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(GoldenFile.Directory, "disasm", "objects", "labels.o"));
        var elf = CSharpBpf.Object.Elf.ElfReader.Read(bytes);
        var text = elf.FindSection(".text")!;
        long at = (long)text.FileOffset + 16;
        bytes[at] = 0xff; // not an opcode
        string path = BtfCliTestSupport.TempFile(bytes);
        try
        {
            var (exit, _, error) = BtfCliTestSupport.Csbpf("disasm", path);
            Assert.Equal(1, exit);
            Assert.Contains($"offset {at}", error);
            Assert.Contains("0xff", error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
