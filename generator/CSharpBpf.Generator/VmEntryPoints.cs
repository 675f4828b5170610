using System.Linq;
using System.Text;
using CSharpBpf.Compiler.Frontend;
using static CSharpBpf.Generator.SkeletonKinds;

namespace CSharpBpf.Generator;

/// <summary>
/// Writes the managed-VM entry points into a skeleton (only when the compilation references CSharpBpf.Vm):
/// <c>LoadVm(engine)</c> / <c>LoadVm(host)</c> returning the nested <c>VmInstance</c>, whose <c>Maps</c> are typed
/// views of the VM's maps and whose <c>Programs</c> are handles with the <c>Run</c> of their kind.
/// </summary>
internal static class VmEntryPoints
{
    public static void Write(StringBuilder sb, CompiledBpfClass c, string self)
    {
        const string Host = "global::CSharpBpf.Vm.Host.BpfTestHost";
        const string Engine = "global::CSharpBpf.Vm.ExecutionEngine";
        var structOps = StructOpsNames(c);

        sb.AppendLine();
        sb.AppendLine("    /// <summary>Loads this object into a new managed VM (no root, no kernel); disposing the result disposes that VM.</summary>");
        sb.Append("    public static VmInstance LoadVm(").Append(Engine).Append(" engine = ").Append(Engine).AppendLine(".Interpreter) =>");
        sb.Append("        new VmInstance(new ").Append(Host).AppendLine("(engine), ownsHost: true);");
        sb.AppendLine();
        sb.AppendLine("    /// <summary>Loads this object into an existing VM host (e.g. beside the object it extends); the host stays the caller's to dispose.</summary>");
        sb.Append("    public static VmInstance LoadVm(").Append(Host).AppendLine(" host) =>");
        sb.AppendLine("        new VmInstance(host ?? throw new global::System.ArgumentNullException(nameof(host)), ownsHost: false);");
        sb.AppendLine();
        sb.Append("    /// <summary>").Append(c.ClassName).AppendLine(" loaded into a managed VM: typed maps, programs with the Run of their kind.</summary>");
        sb.AppendLine("    public sealed class VmInstance : global::System.IDisposable");
        sb.AppendLine("    {");
        sb.AppendLine("        private readonly bool _ownsHost;");
        sb.AppendLine();
        sb.Append("        internal VmInstance(").Append(Host).AppendLine(" host, bool ownsHost)");
        sb.AppendLine("        {");
        sb.AppendLine("            Host = host;");
        sb.AppendLine("            _ownsHost = ownsHost;");
        sb.AppendLine("            try");
        sb.AppendLine("            {");
        sb.Append("                Object = host.LoadObject(").Append(self).AppendLine(".BpfObject.GetElfBytes());");
        sb.AppendLine("            }");
        sb.AppendLine("            catch");
        sb.AppendLine("            {");
        sb.AppendLine("                if (ownsHost) host.Dispose();");
        sb.AppendLine("                throw;");
        sb.AppendLine("            }");
        sb.AppendLine("            Maps = new VmMaps(Object);");
        sb.AppendLine("            Programs = new VmPrograms(host, Object);");
        sb.AppendLine("        }");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The VM the object lives in (sockets, helpers, machine settings).</summary>");
        sb.Append("        public ").Append(Host).AppendLine(" Host { get; }");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The loaded object (all maps and programs by name, load errors, ReplaceFunction).</summary>");
        sb.AppendLine("        public global::CSharpBpf.Vm.Host.VmObject Object { get; }");
        sb.AppendLine();
        sb.AppendLine("        public VmMaps Maps { get; }");
        sb.AppendLine();
        sb.AppendLine("        public VmPrograms Programs { get; }");
        if (structOps.Count == 1)
        {
            sb.AppendLine();
            sb.Append("        /// <summary>The struct_ops ").Append(Literal(structOps[0])).AppendLine(": member name → the program TCP would call.</summary>");
            sb.Append("        public global::System.Collections.Generic.IReadOnlyDictionary<string, global::CSharpBpf.Vm.VmProgram> StructOps => Object.StructOps[")
              .Append(Literal(structOps[0])).AppendLine("];");
        }
        sb.AppendLine();
        sb.AppendLine("        public void Dispose()");
        sb.AppendLine("        {");
        sb.AppendLine("            if (_ownsHost) Host.Dispose();");
        sb.AppendLine("        }");

        sb.AppendLine();
        sb.AppendLine("        /// <summary>The maps of this object in the VM, typed as the class declares them.</summary>");
        sb.AppendLine("        public sealed class VmMaps");
        sb.AppendLine("        {");
        sb.AppendLine("            private readonly global::CSharpBpf.Vm.Host.VmObject _object;");
        sb.AppendLine();
        sb.AppendLine("            internal VmMaps(global::CSharpBpf.Vm.Host.VmObject obj) => _object = obj;");
        foreach (var m in c.Maps)
        {
            string type = VmMapType(m), field = "_map_" + m.Name;
            string create = IsTyped(m)
                ? $"new {type}(_object.Map({Literal(m.Name)}))"
                : $"_object.Map<{type}>({Literal(m.Name)})";
            sb.AppendLine();
            sb.Append("            private ").Append(type).Append("? ").Append(field).AppendLine(";");
            sb.Append("            /// <summary>").Append(m.MapType).Append(" map ").Append(Literal(m.Name)).Append(", ").Append(m.MaxEntries).AppendLine(" entries.</summary>");
            sb.Append("            public ").Append(type).Append(' ').Append(Identifier(m.Name)).Append(" => ").Append(field).Append(" ??= ").Append(create).AppendLine(";");
        }
        sb.AppendLine("        }");

        sb.AppendLine();
        sb.AppendLine("        /// <summary>The programs of this object in the VM; each handle runs the program as the object holds it now.</summary>");
        sb.AppendLine("        public sealed class VmPrograms");
        sb.AppendLine("        {");
        sb.Append("            internal VmPrograms(").Append(Host).AppendLine(" host, global::CSharpBpf.Vm.Host.VmObject obj)");
        sb.AppendLine("            {");
        foreach (var p in c.Programs)
        {
            string extra = IsExtension(p) ? ", " + Literal(ReplacedFunction(p)) : "";
            sb.Append("                ").Append(Identifier(p.Name)).Append(" = new ").Append(VmHandle(p)).Append("(host, obj, ").Append(Literal(p.Name)).Append(extra).AppendLine(");");
        }
        sb.AppendLine("            }");
        foreach (var p in c.Programs)
        {
            sb.AppendLine();
            sb.Append("            /// <summary>").Append(p.Kind).Append(" program in section ").Append(Literal(p.Section)).AppendLine(".</summary>");
            sb.Append("            public ").Append(VmHandle(p)).Append(' ').Append(Identifier(p.Name)).AppendLine(" { get; }");
        }
        sb.AppendLine("        }");
        sb.AppendLine("    }");
    }
}
