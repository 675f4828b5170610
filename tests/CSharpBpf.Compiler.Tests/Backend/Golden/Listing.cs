using System.Collections.Generic;
using System.Text;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Tests.Backend.Golden;

/// <summary>A stable listing of compiled functions for golden files: llvm-objdump-style text per
/// slot, relocations and line_info interleaved.</summary>
internal static class Listing
{
    public static string Of(IReadOnlyList<CompiledFunction> functions)
    {
        var sb = new StringBuilder();
        foreach (var cf in functions)
        {
            sb.Append(cf.Source.Kind.ToString().ToLowerInvariant()).Append(' ').Append(cf.Name);
            if (cf.Source.SectionName is not null) sb.Append(" section ").Append(cf.Source.SectionName);
            sb.Append($" ({cf.Code.Length} slots, stack {cf.StackSize})\n");
            var relocs = new Dictionary<int, string>();
            foreach (var r in cf.Relocs) relocs[r.Index] = $"{r.Reloc.Kind} {r.Reloc.Symbol}";
            var lines = new Dictionary<int, string>();
            foreach (var l in cf.Lines) lines[l.Index] = l.Location.ToString();
            int slot = 0;
            foreach (var d in Disassembler.Disassemble(cf.Code, AsmSyntax.Llvm))
            {
                if (lines.TryGetValue(slot, out var loc)) sb.Append("  ; ").Append(loc).Append('\n');
                sb.Append($"  {slot,3}: {d.Text}");
                if (relocs.TryGetValue(slot, out var rel)) sb.Append("    ; reloc ").Append(rel);
                sb.Append('\n');
                slot += d.SlotCount;
            }
        }
        return sb.ToString();
    }
}
