using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;

namespace TcpCongestion;

/// <summary>Prints what the build produced: the .bpf.o, its programs, maps, struct_ops and BTF types.</summary>
public static class BuildReport
{
    public static void Print(byte[] elf, string? objectPath)
    {
        var obj = BpfObjectFile.Read(elf);
        string where = objectPath is null ? "(not written: build with the CSharpBpf targets)"
            : File.Exists(objectPath) ? objectPath : $"{objectPath} (missing: build with the CSharpBpf targets)";
        Console.WriteLine($"  object: {where}, {elf.Length} bytes, license {obj.License ?? "none"}");
        foreach (var ops in obj.StructOps)
        {
            Console.WriteLine($"  struct_ops {ops.Name}: struct {ops.TypeName} in {ops.SectionName}");
            foreach (var m in ops.FunctionMembers)
            {
                var f = obj.FindFunction(m.ProgramName);
                Console.WriteLine($"    .{m.MemberName,-11} = {m.ProgramName,-16} {f?.InstructionCount,4} instructions (section {f?.SectionName})");
            }
        }
        foreach (var f in obj.Programs.Where(p => !obj.StructOps.Any(s => s.FunctionMembers.Any(m => m.ProgramName == p.Name))))
            Console.WriteLine($"  program {f.Name}: section {f.SectionName}, {f.InstructionCount} instructions");
        foreach (var m in obj.Maps)
            Console.WriteLine($"  map {m.Name}: {m.Type}, key {m.KeySize} B, value {m.ValueSize} B, {m.MaxEntries} entries");
        if (obj.Btf is { } btf)
        {
            // The kernel types the programs name directly (the rest are what those types embed or point to).
            var direct = new[] { "tcp_congestion_ops", "sock", "tcp_sock", "ack_sample", "tcp_ca_event", "tcp_ca_state" };
            var named = btf.Types.Where(t => t.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Enum && !string.IsNullOrEmpty(t.Name))
                .Select(t => t.Name).Distinct().ToList();
            int funcs = btf.Types.Count(t => t.Kind == BtfKind.Func);
            var shown = named.Where(n => direct.Contains(n)).ToList();
            Console.WriteLine($"  BTF: {btf.Types.Count} types, {funcs} functions, {named.Count} named structs/unions/enums, among them {string.Join(", ", shown)}");
            Console.WriteLine($"  BTF.ext: {(obj.BtfExt is { } ext ? $"{ext.FuncInfos.Sum(s => s.Records.Count)} func_info, {ext.LineInfos.Sum(s => s.Records.Count)} line_info, {ext.CoreRelos.Sum(s => s.Records.Count)} CO-RE relocations" : "none")}");
        }
        if (obj.Externs.Count > 0) Console.WriteLine($"  kfuncs/externs: {string.Join(", ", obj.Externs.Select(e => e.Name))}");
    }
}
