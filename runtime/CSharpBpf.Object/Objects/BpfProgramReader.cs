using System;
using System.Collections.Generic;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Object.Objects;

/// <summary>Reads executable sections: instructions, function symbols and resolved relocations.</summary>
internal sealed class BpfProgramReader
{
    private readonly ElfFile _elf;
    private readonly Dictionary<int, Instruction[]> _decoded = new();

    public BpfProgramReader(ElfFile elf) => _elf = elf;

    public List<BpfProgramSection> ReadAll()
    {
        var result = new List<BpfProgramSection>();
        foreach (var s in _elf.Sections)
            if (IsProgramSection(s)) _decoded[s.Index] = Decode(s);
        foreach (var s in _elf.Sections)
        {
            if (!IsProgramSection(s)) continue;
            var insns = _decoded[s.Index];
            result.Add(new BpfProgramSection(s.Name, insns, ReadFunctions(s, insns.Length), ReadRelocations(s, insns)));
        }
        return result;
    }

    internal static bool IsProgramSection(ElfSection s) => s.Type == ElfSectionType.ProgBits && s.IsExecutable;

    private Instruction[] Decode(ElfSection s)
    {
        if (s.Data.Length % InstructionCodec.SlotSize != 0)
            throw new BpfFormatException("ELF", s.HeaderOffset + 32, $"the size of program section {s.Name} a multiple of 8, got {s.Data.Length}");
        try
        {
            return InstructionCodec.Decode(s.Data, _elf.IsBigEndian);
        }
        catch (BpfFormatException e)
        {
            throw new BpfFormatException("ELF", (long)s.FileOffset + e.Offset, $"instructions of {s.Name}: {e.Expected}");
        }
    }

    private List<BpfFunction> ReadFunctions(ElfSection s, int slotCount)
    {
        var functions = new List<BpfFunction>();
        foreach (var sym in _elf.SymbolsIn(s.Index))
        {
            if (sym.Type != ElfSymbolType.Func) continue;
            if (sym.Value % 8 != 0 || sym.Size % 8 != 0 || sym.Value > (ulong)slotCount * 8 || sym.Size > (ulong)slotCount * 8 - sym.Value)
                throw new BpfFormatException("ELF", SymbolFileOffset(sym),
                    $"function {sym.Name}: st_value and st_size on 8-byte instruction boundaries inside {s.Name} ({slotCount * 8} bytes), got value {sym.Value} size {sym.Size}");
            functions.Add(new BpfFunction(sym.Name, s.Name, (int)(sym.Value / 8), (int)(sym.Size / 8), sym.Binding != ElfSymbolBinding.Local));
        }
        functions.Sort((a, b) => a.InstructionOffset.CompareTo(b.InstructionOffset));
        return functions;
    }

    private long SymbolFileOffset(ElfSymbol sym) =>
        _elf.SymbolTableIndex < 0 ? -1 : (long)_elf.Sections[_elf.SymbolTableIndex].FileOffset + (long)sym.Index * ElfConstants.SymbolSize;

    private List<BpfInstructionRelocation> ReadRelocations(ElfSection s, Instruction[] insns)
    {
        var result = new List<BpfInstructionRelocation>();
        var table = _elf.FindRelocationsFor(s.Index);
        if (table is null) return result;
        for (int i = 0; i < table.Entries.Count; i++)
        {
            var r = table.Entries[i];
            long where = (long)table.Section.FileOffset + (long)i * (table.HasAddends ? ElfConstants.RelaSize : ElfConstants.RelSize);
            result.Add(Resolve(s, insns, r, where));
        }
        return result;
    }

    private BpfInstructionRelocation Resolve(ElfSection s, Instruction[] insns, ElfRelocation r, long where)
    {
        if (r.Offset % 8 != 0 || r.Offset / 8 >= (ulong)insns.Length)
            throw new BpfFormatException("ELF", where, $"a relocation offset on an instruction of {s.Name}, got {r.Offset}");
        int index = (int)(r.Offset / 8);
        var insn = insns[index];
        var sym = _elf.Symbols[(int)r.SymbolIndex];
        string name = BpfObjectReader.SymbolName(_elf, sym);
        bool wide = insn.IsWideLoad;
        if (wide && index + 1 >= insns.Length)
            throw new BpfFormatException("ELF", where, $"the second slot of the LD_IMM64 at instruction {index} of {s.Name}");
        if (!wide && !insn.IsCall)
            throw new BpfFormatException("ELF", where, $"a relocation on a call or LD_IMM64 instruction, got opcode 0x{insn.Opcode:x2} at instruction {index} of {s.Name}");

        if (sym.IsUndefined)
        {
            if (sym.Index == 0 || sym.Name.Length == 0)
                throw new BpfFormatException("ELF", where + 8, "a relocation against a named symbol");
            return new BpfInstructionRelocation(index, r.Type, name, wide ? BpfRelocationKind.ExternVariable : BpfRelocationKind.KfuncCall, "", 0);
        }
        if (sym.Type == ElfSymbolType.Section && sym.Value != 0)
            throw new BpfFormatException("ELF", where + 8, $"a section symbol with st_value 0 (the offset travels in the instruction), got {sym.Value} for {name}");
        if (sym.IsSpecialSection)
            throw new BpfFormatException("ELF", where + 8, $"a relocation against a symbol defined in a section, got {name} with st_shndx 0x{sym.SectionIndex:x}");

        var target = _elf.Sections[sym.SectionIndex];
        if (IsProgramSection(target))
        {
            if (sym.Type != ElfSymbolType.Section && (sym.Type != ElfSymbolType.Func || sym.Name.Length == 0))
                throw new BpfFormatException("ELF", where + 8, $"a call or function reference through a FUNC or section symbol, got {sym.Type} '{sym.Name}' in {target.Name}");
            var targetInsns = _decoded[target.Index];
            long slot = wide ? ((long)sym.Value + insn.Imm) / 8 : (long)(sym.Value / 8) + insn.Imm + 1;
            if (slot < 0 || slot >= targetInsns.Length)
                throw new BpfFormatException("ELF", where, $"a call/function target inside {target.Name} ({targetInsns.Length} instructions), got instruction {slot}");
            return new BpfInstructionRelocation(index, r.Type, name,
                wide ? BpfRelocationKind.SubprogramAddress : BpfRelocationKind.SubprogramCall, target.Name, slot);
        }
        if (!wide)
            throw new BpfFormatException("ELF", where, $"a call relocation against a function, got {name} in {target.Name}");
        if (target.Name == BpfSectionNames.Maps || target.Name == BpfSectionNames.LegacyMaps)
        {
            if (sym.Type == ElfSymbolType.Section || sym.Name.Length == 0)
                throw new BpfFormatException("ELF", where + 8, $"a map reference through the map's own symbol, got {(sym.Name.Length == 0 ? "an unnamed symbol" : "a section symbol")} in {target.Name}");
            return new BpfInstructionRelocation(index, r.Type, name, BpfRelocationKind.Map, target.Name, (long)sym.Value) { SourceOffset = where };
        }
        if (DataSectionReader.IsDataSection(target))
        {
            if (sym.Type != ElfSymbolType.Section && sym.Name.Length == 0)
                throw new BpfFormatException("ELF", where + 8, $"a global-data reference through a named variable or the section symbol, got an unnamed symbol in {target.Name}");
            return new BpfInstructionRelocation(index, r.Type, name, BpfRelocationKind.GlobalData, target.Name, (long)sym.Value + insn.Imm);
        }
        throw new BpfFormatException("ELF", where, $"an LD_IMM64 relocation against a map, global data or function, got {name} in section {target.Name}");
    }
}
