using System.IO;
using System.Linq;
using System.Text;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// Our llvm-syntax text for every catalog form equals llvm-mc-22's (the instruction printer of
/// llvm-objdump-22). The reference is computed live when LLVM is installed and kept in
/// tests/golden/disasm/isa-catalog.llvm.txt, so the comparison also runs without LLVM.
/// </summary>
public class DisassemblerLlvmConformanceTests
{
    const string GoldenName = "disasm/isa-catalog.llvm.txt";

    static string Reference()
    {
        if (LlvmMc.Available)
        {
            var encodings = IsaCatalog.Entries.Select(LlvmMc.Encode).ToList();
            var answers = LlvmMc.Disassemble(encodings);
            var sb = new StringBuilder();
            for (int i = 0; i < encodings.Count; i++)
                sb.Append(LlvmMc.Hex(encodings[i])).Append('\t').Append(answers[i]).Append('\n');
            // Keeps the golden equal to what llvm says today (CSHARPBPF_UPDATE_GOLDEN=1 rewrites it).
            GoldenFile.AssertMatches(GoldenName, sb.ToString());
            return sb.ToString();
        }
        return File.ReadAllText(Path.Combine(GoldenFile.Directory, GoldenName));
    }

    [Fact]
    public void EveryCatalogForm_PrintsExactlyAsLlvm()
    {
        var expected = Reference().Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        Assert.Equal(IsaCatalog.Entries.Count, expected.Length);
        var mismatches = new System.Collections.Generic.List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            var entry = IsaCatalog.Entries[i];
            string ours = LlvmMc.Hex(LlvmMc.Encode(entry)) + "\t" + LlvmMc.Normalize(Disassembler.Decode(entry, 0, AsmSyntax.Llvm).Text);
            if (ours != expected[i]) mismatches.Add($"llvm: {expected[i]}\n ours: {ours}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void LosslessSyntax_DiffersFromLlvmOnlyWhereLlvmDropsBits()
    {
        foreach (var entry in IsaCatalog.Entries)
        {
            string llvm = Disassembler.Decode(entry, 0, AsmSyntax.Llvm).Text;
            string lossless = Disassembler.Decode(entry, 0, AsmSyntax.Lossless).Text;
            if (llvm == lossless) continue;
            // The llvm text must then really be ambiguous: reading it back gives other bits.
            Assert.NotEqual(entry, Assembler.Assemble(llvm));
        }
    }

    [Theory]
    [InlineData("r0 = *(u32 *)(r1 + 0x4)", "w0 = *(u32 *)(r1 + 0x4)")]
    [InlineData("w1 = w2", "w1 = w2")]
    [InlineData("if r1 s> 0x5 goto +0x3", "if r1 s> 0x5 goto +0x3")]
    [InlineData("r1 = 0x1234 ll", "r1 = 0x1234 ll")]
    [InlineData("lock *(u64 *)(r1 + 0x0) += r2", "lock *(u64 *)(r1 + 0x0) += r2")]
    [InlineData("r0 = atomic_fetch_add((u64 *)(r1 + 0x0), r0)", "r0 = atomic_fetch_add((u64 *)(r1 + 0x0), r0)")]
    [InlineData("r1 = 4660 ll", "r1 = 0x1234 ll")]
    [InlineData("  r0=r1  ", "r0 = r1")]
    public void IssueExamples_AssembleAndPrintInLlvmSyntax(string input, string printed)
    {
        Assert.Equal(printed, Disassembler.ToText(Assembler.Assemble(input), AsmSyntax.Llvm).TrimEnd('\n'));
    }
}
