using System;
using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// Reads .struct_ops / .struct_ops.link: each VAR of the same-named DATASEC is an ops struct
/// instance; R_BPF_64_ABS64 relocations on its function-pointer members name the programs.
/// </summary>
internal sealed class StructOpsReader
{
    private readonly ElfFile _elf;
    private readonly BtfModel? _btf;
    private readonly IReadOnlyList<BpfProgramSection> _programs;

    public StructOpsReader(ElfFile elf, BtfModel? btf, IReadOnlyList<BpfProgramSection> programs)
    {
        _elf = elf;
        _btf = btf;
        _programs = programs;
    }

    public List<BpfStructOpsMap> ReadAll()
    {
        var result = new List<BpfStructOpsMap>();
        foreach (var s in _elf.Sections)
            if (BpfSectionNames.IsStructOps(s.Name) && s.Type == ElfSectionType.ProgBits) result.AddRange(ReadSection(s));
        return result;
    }

    private IEnumerable<BpfStructOpsMap> ReadSection(ElfSection section)
    {
        if (_btf is null)
            throw new BpfFormatException("ELF", section.HeaderOffset, $"a .BTF section describing the {section.Name} variables");
        if (_btf.Find(section.Name, BtfKind.Datasec) is not BtfDatasec datasec)
            throw new BpfFormatException("BTF", -1, $"a DATASEC named {section.Name}");

        var symbols = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        foreach (var sym in _elf.SymbolsIn(section.Index))
            if (sym.Type != ElfSymbolType.Section && sym.Name.Length > 0) symbols[sym.Name] = sym;

        var vars = new List<(string Name, BtfStruct Type, ulong Offset)>();
        foreach (var v in datasec.Variables)
        {
            if (BpfObjectReader.TryType(_btf, v.TypeId) is not BtfVar var)
                throw new BpfFormatException("BTF", datasec.SourceOffset, $"a VAR in DATASEC {section.Name}, got type id {v.TypeId}");
            if (!symbols.TryGetValue(var.Name, out var sym))
                throw new BpfFormatException("ELF", section.HeaderOffset, $"a symbol in {section.Name} for the struct_ops variable {var.Name}");
            if (ResolveStruct(var.TypeId) is not BtfStruct type)
                throw new BpfFormatException("BTF", var.SourceOffset, $"struct_ops variable {var.Name} of a struct type");
            if (sym.Value > section.Size || type.Size > section.Size - sym.Value)
                throw new BpfFormatException("ELF", section.HeaderOffset, $"struct_ops variable {var.Name} ({type.Size} bytes) inside {section.Name} ({section.Size} bytes) at offset {sym.Value}");
            vars.Add((var.Name, type, sym.Value));
        }

        var members = new Dictionary<string, List<BpfStructOpsMember>>(StringComparer.Ordinal);
        foreach (var v in vars) members[v.Name] = new List<BpfStructOpsMember>();
        var table = _elf.FindRelocationsFor(section.Index);
        if (table is not null)
        {
            var view = new ElfByteReaderView(section.Data, _elf.IsBigEndian, (long)section.FileOffset);
            for (int i = 0; i < table.Entries.Count; i++)
            {
                var r = table.Entries[i];
                long where = (long)table.Section.FileOffset + (long)i * ElfConstants.RelSize;
                var owner = vars.Find(v => r.Offset >= v.Offset && r.Offset < v.Offset + v.Type.Size);
                if (owner.Type is null)
                    throw new BpfFormatException("ELF", where, $"a relocation inside a struct_ops variable of {section.Name}, got offset {r.Offset}");
                ulong memberOffset = r.Offset - owner.Offset;
                var member = owner.Type.Members.Find(m => !m.IsBitfield && m.BitOffset % 8 == 0 && m.BitOffset / 8 == memberOffset)
                    ?? throw new BpfFormatException("ELF", where, $"a relocation on a member of {owner.Type.Name}, got byte {memberOffset}");
                var sym = _elf.Symbols[(int)r.SymbolIndex];
                ulong target = sym.Value + view.U64(r.Offset);
                members[owner.Name].Add(new BpfStructOpsMember(member.Name, memberOffset, ProgramAt(sym, target, where)));
            }
        }

        foreach (var v in vars)
        {
            var data = new byte[v.Type.Size];
            Buffer.BlockCopy(section.Data, (int)v.Offset, data, 0, data.Length);
            yield return new BpfStructOpsMap(v.Name, section.Name, v.Type.Name, v.Type.Id, v.Offset, data, members[v.Name]);
        }
    }

    private string ProgramAt(ElfSymbol sym, ulong byteOffset, long where)
    {
        if (sym.IsUndefined || sym.IsSpecialSection)
            throw new BpfFormatException("ELF", where, "a struct_ops member relocation against a program section");
        string sectionName = _elf.Sections[sym.SectionIndex].Name;
        foreach (var p in _programs)
        {
            if (p.Name != sectionName) continue;
            foreach (var f in p.Functions)
                if ((ulong)f.InstructionOffset * 8 == byteOffset) return f.Name;
        }
        throw new BpfFormatException("ELF", where, $"a program starting at byte {byteOffset} of {sectionName} for a struct_ops member");
    }

    private BtfType? ResolveStruct(uint id)
    {
        try
        {
            return _btf!.ResolveModifiers(id);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new BpfFormatException("BTF", -1, $"a valid type id, got {id}: {e.Message}");
        }
    }
}
