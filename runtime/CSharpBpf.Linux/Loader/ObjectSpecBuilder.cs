using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// <see cref="BpfObjectFile"/> → <see cref="ObjectSpec"/>: what the kernel loader adds to the object
/// model. Programs get their kernel program kind from the section name, struct_ops variables and
/// externs get the loader's shapes, maps come from <see cref="MapDefinitionBuilder"/>, and the BTF
/// gets libbpf's fix-ups. Nothing here reads ELF: the model did.
/// </summary>
internal static class ObjectSpecBuilder
{
    public static ObjectSpec Build(BpfObjectFile file, string name)
    {
        var legacy = file.Maps.FirstOrDefault(m => m.IsLegacy);
        if (legacy is not null)
            throw new BpfFormatException("ELF", SectionFileOffset(file, BpfSectionNames.LegacyMaps),
                $"BTF-defined maps in '.maps'; the legacy 'maps' section (struct bpf_map_def, here map '{legacy.Name}') is not supported, as in libbpf 1.x");
        var spec = new ObjectSpec(name, file);
        ReadFunctions(spec);
        spec.Maps.AddRange(MapDefinitionBuilder.BtfMaps(file));
        spec.Maps.AddRange(MapDefinitionBuilder.GlobalData(file, name));
        ReadStructOps(spec);
        foreach (var e in file.Externs)
            spec.Externs[e.Name] = new ExternSymbol(e.Name, e.Kind == BpfExternKind.Function, e.BtfSection == BpfSectionNames.Kconfig, e.BtfTypeId, e.IsWeak);
        BtfFixups.Apply(spec);
        return spec;
    }

    private static void ReadFunctions(ObjectSpec spec)
    {
        foreach (var section in spec.ObjectFile.ProgramSections)
        {
            if (section.Instructions.Count == 0) continue;
            bool isText = section.Name == BpfSectionNames.Text;
            SectionKind? kind = isText ? null : SectionKind.Parse(section.Name);
            long at = SectionFileOffset(spec.ObjectFile, section.Name);
            if (!isText && kind is null)
                throw new BpfFormatException("ELF", at, $"a program section name libbpf knows (e.g. xdp, sockops, cgroup_skb/egress, struct_ops/NAME); '{section.Name}' is not one");
            if (section.Functions.Count == 0 && !isText)
                throw new BpfFormatException("ELF", at, $"a FUNC symbol naming the program in section '{section.Name}'");
            var insns = section.Instructions.ToArray();
            var functions = section.Functions.OrderBy(f => f.InstructionOffset).ToList();
            for (int i = 0; i < functions.Count; i++)
            {
                var f = functions[i];
                // A FUNC symbol without a size (hand-written assembly) runs to the next function or the section's end.
                int end = f.InstructionCount > 0 ? f.InstructionOffset + f.InstructionCount
                    : i + 1 < functions.Count ? functions[i + 1].InstructionOffset : insns.Length;
                var relocations = section.Relocations
                    .Where(r => r.InstructionIndex >= f.InstructionOffset && r.InstructionIndex < end)
                    .ToDictionary(r => r.InstructionIndex);
                var body = new Instruction[end - f.InstructionOffset];
                Array.Copy(insns, f.InstructionOffset, body, 0, body.Length);
                var fn = new FunctionSpec(f.Name, section.Name, f.InstructionOffset, body, kind, relocations);
                (isText ? spec.Subprograms : spec.Programs).Add(fn);
            }
        }
    }

    private static void ReadStructOps(ObjectSpec spec)
    {
        foreach (var ops in spec.ObjectFile.StructOps)
        {
            var btf = spec.Btf!; // BpfObjectFile reads no struct_ops without BTF
            if (!btf.TryGetType(ops.TypeId, out var type) || type is not BtfStruct st)
                throw new BpfFormatException("BTF", -1, $"struct_ops variable '{ops.Name}' of a struct type, got type id {ops.TypeId}");
            var map = new MapDefinition
            {
                Name = ops.Name,
                Kind = MapKind.StructOps,
                SectionName = ops.SectionName,
                SectionOffset = (int)ops.SectionOffset,
                SectionSize = ops.Data.Length,
                Spec = new Maps.BpfMapSpec
                {
                    Name = ops.Name,
                    Type = Maps.BpfMapType.StructOps,
                    KeySize = 4,
                    MaxEntries = 1,
                    Flags = ops.IsLink ? Maps.BpfMapFlags.Link : Maps.BpfMapFlags.None,
                },
            };
            var def = new StructOpsDefinition(ops.Name, CoreNames.Essential(st.Name), st, (byte[])ops.Data.Clone(), ops.IsLink, map);
            foreach (var m in ops.FunctionMembers) def.Programs[m.MemberName] = m.ProgramName;
            spec.StructOps.Add(def);
            spec.Maps.Add(map);
        }
    }

    /// <summary>Where a section starts in the file, for error messages (-1 for a model built in memory).</summary>
    internal static long SectionFileOffset(BpfObjectFile file, string section) =>
        file.Elf?.FindSection(section) is { } s ? (long)s.FileOffset : -1;
}
