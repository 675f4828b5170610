using System;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Tests.Kernel;
using Xunit;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>Objects that are valid ELF but not a valid BPF object: each is one BpfFormatException
/// saying what is wrong.</summary>
public class BpfObjectBadInputTests
{
    private static BpfFormatException Rejects(byte[] bytes, string expectedFragment)
    {
        var e = Assert.Throws<BpfFormatException>(() => BpfObjectFile.Read(bytes));
        Assert.Contains(expectedFragment, e.Expected);
        return e;
    }

    [Fact]
    public void Unknown_map_attribute_is_named()
    {
        var bytes = MapsFromScratch.Build((btf, def) => def.AddMember("bogus", btf.FindId("int", BtfKind.Int), 256)).ToBytes();
        var e = Rejects(bytes, "map counters: a known map attribute, got member 'bogus'");
        Assert.Equal("BTF", e.Format);
        Assert.True(e.Offset > 0); // the definition struct's offset in .BTF
    }

    [Fact]
    public void Uint_attribute_must_be_a_pointer_to_an_array()
    {
        var bytes = MapsFromScratch.Build((btf, def) => def.Members[1].TypeId = btf.FindId("int", BtfKind.Int)).ToBytes();
        Rejects(bytes, "attribute 'max_entries' as a pointer to an array (__uint)");
    }

    [Fact]
    public void Type_attribute_must_be_a_pointer()
    {
        var bytes = MapsFromScratch.Build((btf, def) => def.Members[2].TypeId = btf.FindId("int", BtfKind.Int)).ToBytes();
        Rejects(bytes, "attribute 'key' as a pointer to its type (__type)");
    }

    [Fact]
    public void Maps_section_needs_BTF()
    {
        var b = new ElfBuilder();
        int maps = b.AddSection(".maps", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 8, new byte[32]);
        b.AddSymbol("m", maps, 0, 32, ElfSymbolType.Object, ElfSymbolBinding.Global);
        var e = Rejects(b.ToBytes(), "a .BTF section describing the BTF-defined maps");
        Assert.Equal("ELF", e.Format);
    }

    [Fact]
    public void Program_section_must_hold_whole_instructions_and_aligned_functions()
    {
        var b = new ElfBuilder();
        b.AddSection("xdp", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, new byte[12]);
        Rejects(b.ToBytes(), "the size of program section xdp a multiple of 8, got 12");

        b = new ElfBuilder();
        int xdp = b.AddSection("xdp", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, new byte[16]);
        b.AddSymbol("prog", xdp, 4, 8, ElfSymbolType.Func, ElfSymbolBinding.Global);
        Rejects(b.ToBytes(), "function prog: st_value and st_size on 8-byte instruction boundaries");
    }

    [Fact]
    public void Map_reference_must_name_a_defined_map()
    {
        var b = new ElfBuilder();
        var code = CSharpBpf.Object.Isa.InstructionCodec.Encode(new[]
        {
            CSharpBpf.Object.Isa.Insns.LoadImm64(1, 0)[0], CSharpBpf.Object.Isa.Insns.LoadImm64(1, 0)[1], CSharpBpf.Object.Isa.Insns.Exit(),
        });
        int xdp = b.AddSection("xdp", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, code);
        int legacy = b.AddSection("maps", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 4, new byte[20]);
        b.AddSymbol("prog", xdp, 0, 24, ElfSymbolType.Func, ElfSymbolBinding.Global);
        // A symbol in the maps section too small to be a legacy map definition.
        int bad = b.AddSymbol("tiny", legacy, 8, 8, ElfSymbolType.Object, ElfSymbolBinding.Global);
        b.AddRelocation(xdp, 0, bad, BpfRelocationType.R_BPF_64_64);
        Rejects(b.ToBytes(), "legacy map tiny: a definition of at least 16 bytes");
    }

    [Fact]
    public void BTF_ext_needs_BTF()
    {
        var b = new ElfBuilder();
        b.AddSection(".BTF.ext", ElfSectionType.ProgBits, ElfSectionFlags.None, 4, new byte[32]);
        Rejects(b.ToBytes(), "a .BTF section for the .BTF.ext section to refer to");
    }

    [Fact]
    public void Duplicate_program_section_names_are_refused()
    {
        var b = new ElfBuilder();
        var exit = CSharpBpf.Object.Isa.InstructionCodec.Encode(new[] { CSharpBpf.Object.Isa.Insns.Exit() });
        b.AddSection("xdp", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, exit);
        b.AddSection("xdp", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, exit);
        Rejects(b.ToBytes(), "one section named xdp, found a second one");
    }

    [Fact]
    public void Corrupt_BTF_inside_an_object_says_where_the_section_starts()
    {
        var bytes = FixtureFiles.Bytes("calls_globals.bpf");
        var btf = ElfReader.Read(bytes).FindSection(".BTF")!;
        bytes[(int)btf.FileOffset] ^= 0xff; // the magic
        var e = Assert.Throws<BpfFormatException>(() => BpfObjectFile.Read(bytes));
        Assert.Equal("BTF", e.Format);
        Assert.Equal(0, e.Offset);
        Assert.Contains($"offset within .BTF, which starts at file offset {btf.FileOffset}", e.Expected);
    }
}
