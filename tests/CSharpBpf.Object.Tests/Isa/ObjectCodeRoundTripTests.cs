using System.IO;
using System.Linq;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// Real compiler output through the text form: every program section of every committed object
/// disassembles and assembles back to the same bytes, and our assembler reads llvm's own
/// assembly source (forms.s) into exactly the bytes clang's assembler produced.
/// </summary>
public class ObjectCodeRoundTripTests
{
    static string OwnObjects => Path.Combine(GoldenFile.Directory, "disasm", "objects");

    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { RepoPaths.Fixtures, OwnObjects })
            foreach (var f in Directory.GetFiles(dir, "*.o").OrderBy(f => f, System.StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(RepoPaths.Root, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void ProgramSections_RoundTripThroughLosslessText(string relativePath)
    {
        var elf = ElfReader.Read(File.ReadAllBytes(Path.Combine(RepoPaths.Root, relativePath)));
        int sections = 0;
        foreach (var section in elf.Sections.Where(s => s.IsExecutable && s.Size > 0))
        {
            var program = InstructionCodec.Decode(section.Data, elf.IsBigEndian);
            string text = Disassembler.ToText(program, AsmSyntax.Lossless);
            var back = Assembler.Assemble(text);
            Assert.Equal(section.Data, InstructionCodec.Encode(back, elf.IsBigEndian));
            sections++;
        }
        Assert.True(sections > 0, $"{relativePath} has no program section");
    }

    [Theory]
    [InlineData("forms.s", "forms.o")]
    [InlineData("forms.s", "forms.be.o")]
    [InlineData("labels.s", "labels.o")]
    public void AssemblerReadsLlvmAssemblySource_IntoClangsBytes(string source, string obj)
    {
        // Directives (.text, .globl, .type) are for the object writer, not instructions.
        var lines = File.ReadAllLines(Path.Combine(OwnObjects, source)).Where(l => !l.TrimStart().StartsWith("."));
        // labels.s calls "sub" by name: clang resolves it to a local call (src 1), and so do we.
        string text = string.Join("\n", lines);
        var elf = ElfReader.Read(File.ReadAllBytes(Path.Combine(OwnObjects, obj)));
        var code = elf.FindSection(".text")!;
        Assert.Equal(code.Data, InstructionCodec.Encode(Assembler.Assemble(text), elf.IsBigEndian));
    }
}
