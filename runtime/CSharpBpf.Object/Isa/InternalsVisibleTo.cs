using System.Runtime.CompilerServices;

// The ISA tests walk the form table itself to prove every form is covered and round-trips.
[assembly: InternalsVisibleTo("CSharpBpf.Object.Tests")]
