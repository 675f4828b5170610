using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CSharpBpf.Object;
using CSharpBpf.Object.Btf;
using BtfModel = CSharpBpf.Object.Btf.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Cli.Disasm;

/// <summary>What <see cref="ObjdumpListing"/> prints.</summary>
internal sealed record ObjdumpOptions(bool InlineRelocations = true, AsmSyntax Syntax = AsmSyntax.Llvm);

/// <summary>
/// The text of <c>llvm-objdump-22 -d [-r] --no-show-raw-insn FILE</c> for a BPF object, reproduced
/// line for line: every executable section with content, one block per symbol address headed by
/// the symbol llvm picks, slot-index addresses, branch targets labelled &lt;symbol+offset&gt;, and with
/// -r the CO-RE relocation (from .BTF.ext) and the ELF relocations after the instruction they patch.
/// Differences by design: a section holding only data symbols is still shown as code, and a run of
/// zero bytes is an error (an all-zero slot is not an instruction) rather than "...".
/// </summary>
internal static class ObjdumpListing
{
    public static string Render(ElfFile elf, string displayPath, ObjdumpOptions options, TextWriter? warnings = null)
    {
        var sb = new StringBuilder();
        sb.Append('\n').Append(displayPath).Append(":\tfile format elf64-bpf\n");
        var symbols = new ObjdumpSymbols(elf);
        var core = options.InlineRelocations ? LoadCoreRelocations(elf, warnings) : null;

        foreach (var section in elf.Sections)
        {
            if (!section.IsExecutable || section.Type == ElfSectionType.NoBits || section.Size == 0) continue;
            RenderSection(sb, elf, section, symbols, core, options);
        }
        return sb.ToString();
    }

    static void RenderSection(StringBuilder sb, ElfFile elf, ElfSection section, ObjdumpSymbols symbols,
        CoreRelocations? core, ObjdumpOptions options)
    {
        var sectionSymbols = symbols.ForSection(section);
        var relocations = options.InlineRelocations ? RelocationText.For(elf, section.Index) : new List<(ElfRelocation, bool)>();
        var coreRelos = core?.For(section.Name);
        ulong sectionStart = section.Address, sectionEnd = section.Address + section.Size;
        bool printedHeader = false;
        int relCursor = 0;

        for (int si = 0; si < sectionSymbols.Count;)
        {
            int first = si;
            ulong start = sectionSymbols[si].Address;
            while (si < sectionSymbols.Count && sectionSymbols[si].Address == start) si++;
            ulong end = sectionEnd;
            if (si < sectionSymbols.Count) end = Math.Min(end, sectionSymbols[si].Address);
            if (start < sectionStart || start >= end) continue;

            if (!printedHeader)
            {
                sb.Append("\nDisassembly of section ").Append(section.Name).Append(":\n");
                printedHeader = true;
            }
            // llvm shows the last symbol at this address that is not a data object (or the last one).
            int display = si - 1;
            for (int k = first; k < si; k++)
                if (sectionSymbols[k].Type is not (ElfSymbolType.Object or ElfSymbolType.Common)) display = k;
            sb.Append('\n').Append(start.ToString("x16")).Append(" <").Append(sectionSymbols[display].Name).Append(">:\n");

            ulong from = start - sectionStart, to = end - sectionStart;
            while (relCursor < relocations.Count && relocations[relCursor].Item1.Offset < from) relCursor++;
            RenderChunk(sb, elf, section, from, to, sectionSymbols, symbols, relocations, ref relCursor, coreRelos, core?.Btf, options);
        }
    }

    static void RenderChunk(StringBuilder sb, ElfFile elf, ElfSection section, ulong from, ulong to,
        List<ObjdumpSymbol> sectionSymbols, ObjdumpSymbols symbols, List<(ElfRelocation Rel, bool HasAddends)> relocations,
        ref int relCursor, List<BtfCoreRelo>? coreRelos, BtfModel? btf, ObjdumpOptions options)
    {
        long baseOffset = (long)section.FileOffset + (long)from;
        var program = InstructionCodec.Decode(section.Data, checked((int)from), checked((int)(to - from)), elf.IsBigEndian);
        for (int i = 0; i < program.Length;)
        {
            var insn = Disassembler.Decode(program, i, options.Syntax, baseOffset);
            ulong offset = from + (ulong)i * 8;
            ulong size = (ulong)insn.SlotCount * 8;
            sb.Append(((offset + section.Address) / 8).ToString().PadLeft(8)).Append(":\t").Append(insn.Text);
            if (insn.BranchTarget is long target)
            {
                ulong address = section.Address + offset + 8 + unchecked((ulong)((target - (i + 1)) * 8));
                sb.Append(symbols.TargetLabel(sectionSymbols, address));
            }
            sb.Append('\n');

            if (coreRelos != null && btf != null)
            {
                var relo = coreRelos.FirstOrDefault(r => r.InsnOffset == offset);
                if (relo != null)
                    sb.Append("\t\t").Append(offset.ToString("x16")).Append(":  CO-RE ").Append(CoreRelocationText.Describe(btf, relo)).Append('\n');
            }
            while (relCursor < relocations.Count && relocations[relCursor].Rel.Offset < offset + size)
            {
                var (rel, hasAddends) = relocations[relCursor++];
                if (rel.Offset < offset) continue;
                sb.Append("\t\t").Append((section.Address + rel.Offset).ToString("x16")).Append(":  ")
                  .Append(RelocationText.TypeName(rel.Type)).Append('\t').Append(RelocationText.Value(elf, rel, hasAddends)).Append('\n');
            }
            i += insn.SlotCount;
        }
    }

    /// <summary>.BTF + .BTF.ext CO-RE records, as llvm-objdump -r shows them; absent or unreadable BTF means none.</summary>
    sealed class CoreRelocations
    {
        public CoreRelocations(BtfModel btf, BtfExt ext)
        {
            Btf = btf;
            Ext = ext;
        }

        public BtfModel Btf { get; }
        BtfExt Ext { get; }

        /// <summary>The section's records, stable-sorted by instruction offset (first match wins, as in llvm).</summary>
        public List<BtfCoreRelo> For(string sectionName) =>
            Ext.CoreRelos.Where(s => s.SectionName == sectionName).SelectMany(s => s.Records)
                .Select((r, i) => (r, i)).OrderBy(p => p.r.InsnOffset).ThenBy(p => p.i).Select(p => p.r).ToList();
    }

    static CoreRelocations? LoadCoreRelocations(ElfFile elf, TextWriter? warnings)
    {
        var btfSection = elf.FindSection(".BTF");
        var extSection = elf.FindSection(".BTF.ext");
        if (btfSection is null || extSection is null) return null;
        try
        {
            var btf = BtfReader.Read(btfSection.Data);
            return new CoreRelocations(btf, BtfExtReader.Read(extSection.Data, btf));
        }
        catch (BpfFormatException e)
        {
            // llvm-objdump reports the BTF problem and carries on without CO-RE lines; so do we.
            warnings?.WriteLine($"warning: CO-RE relocations not shown: {e.Message}");
            return null;
        }
    }
}
