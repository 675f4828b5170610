using System.Linq;
using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Object.Tests.Isa;

public class AssemblerRoundTripTests
{
    [Fact]
    public void EveryCatalogForm_BytesToLosslessTextToBytes_IsExact()
    {
        foreach (var entry in IsaCatalog.Entries)
        {
            string text = Disassembler.Decode(entry, 0, AsmSyntax.Lossless).Text;
            Assert.Equal(entry, Assembler.Assemble(text));
        }
    }

    [Theory]
    [InlineData(AsmSyntax.Llvm)]
    [InlineData(AsmSyntax.Lossless)]
    public void EveryCatalogForm_TextToBytesToText_IsExact(AsmSyntax syntax)
    {
        foreach (var entry in IsaCatalog.Entries)
        {
            string text = Disassembler.Decode(entry, 0, syntax).Text;
            Assert.Equal(text, Disassembler.Decode(Assembler.Assemble(text), 0, syntax).Text);
        }
    }

    [Fact]
    public void WholeProgram_RoundTripsThroughText()
    {
        var program = IsaCatalog.Program();
        string text = Disassembler.ToText(program);
        Assert.Equal(program, Assembler.Assemble(text));
    }

    [Fact]
    public void ObjdumpListing_WithIndicesAnnotationsAndHeaders_ReadsBack()
    {
        const string listing = @"
0000000000000000 <prog>:
       0:	r1 = 0x0
       1:	if r1 s> 0x5 goto +0x1 <prog+0x18>
       2:	r0 = 0x1 ll
       4:	exit   # done
";
        var expected = new[] { Insns.Mov64Imm(1, 0), Insns.JmpImm(JmpOp.Jsgt, 1, 5, 1) }
            .Concat(Insns.LoadImm64(0, 1)).Concat(new[] { Insns.Exit() }).ToArray();
        Assert.Equal(expected, Assembler.Assemble(listing));
    }

    [Fact]
    public void Labels_ResolveToSlotOffsets_CountingWideLoadsAsTwoSlots()
    {
        const string source = @"
start:
    r1 = 0x1 ll
    if r1 == 0x0 goto out
    gotol start
    call pc out
out: exit
    call start
";
        var p = Assembler.Assemble(source);
        Assert.Equal(7, p.Length);
        Assert.Equal(2, p[2].Offset);   // slot 2 -> slot 5
        Assert.Equal(-4, p[3].Imm);     // slot 3 -> slot 0
        Assert.Equal(0, p[4].Imm);      // slot 4 -> slot 5 (relative to the next slot)
        Assert.Equal((byte)CallKind.Local, p[4].Src);
        Assert.Equal(Insns.CallLocal(-7), p[6]);   // "call start": slot 6 -> slot 0
    }

    [Fact]
    public void Numbers_AcceptDecimalHexAndUnsigned32BitSpelling()
    {
        Assert.Equal(Insns.Mov64Imm(1, -1), Assembler.Assemble("r1 = 0xffffffff")[0]);
        Assert.Equal(Insns.Mov64Imm(1, 10), Assembler.Assemble("r1 = 10")[0]);
        Assert.Equal(Insns.LoadImm64(1, -1), Assembler.Assemble("r1 = 0xffffffffffffffff ll"));
        Assert.Equal(Insns.LoadImm64(1, long.MinValue), Assembler.Assemble("r1 = -0x8000000000000000 ll"));
    }
}
