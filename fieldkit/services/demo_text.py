"""The words of the demo vault: facilities, visit and interview notes, case summaries, tips and
grant objectives, some in Spanish and some in English, the way attachés in Mexico write them.

Every company, union, person and award number here is fictional. The two RRM cases retell the
examples on the Labor Department's USMCA page without naming the companies.
"""

from __future__ import annotations

from fieldkit.domain.choices import LegitimationStatus as L
from fieldkit.domain.choices import MexicanState as St
from fieldkit.domain.choices import Sector as S

# --- facilities: name, employer, parent, sector, state, municipality, unions, CBA -----------

SA, SRL = "S.A. de C.V.", "S. de R.L. de C.V."
FacilityRow = tuple[str, str, str, S, St, str, tuple[str, ...], str, L]
FACILITIES: dict[str, FacilityRow] = {
    "german": ("Altiplano Automotriz – Planta Puebla", f"Altiplano Automotriz, {SA}",
               "German-owned automaker", S.AUTOS, St.PUE, "Cuautlancingo",
               ("Sindicato Independiente de Trabajadores de Altiplano Automotriz",),
               "CFCRL-CCT-PUE-2023-00418", L.LEGITIMATED),
    "guanajuato": ("Vehículos Ligeros del Bajío – Planta Silao",
                   f"Vehículos Ligeros del Bajío, {SRL}", "U.S.-owned automaker", S.AUTOS,
                   St.GUA, "Silao de la Victoria",
                   ("Sindicato Independiente de la Industria Automotriz del Bajío",
                    "Sindicato que tenía el contrato anterior (perdió la consulta)"),
                   "CFCRL-CCT-GTO-2022-01127", L.LEGITIMATED),
    "coahuila": ("Camiones del Norte – Planta Ramos Arizpe", f"Camiones del Norte, {SA}",
                 "Japanese-owned truck maker", S.AUTOS, St.COA, "Ramos Arizpe",
                 ("Sindicato de Trabajadores de la Industria Automotriz de Coahuila",),
                 "CFCRL-CCT-COA-2021-00762", L.LEGITIMATED),
    "aguascalientes": ("Ensambladora Hidrocálida – Planta Sur", f"Ensambladora Hidrocálida, {SA}",
                       "Franco-Japanese auto alliance", S.AUTOS, St.AGU, "Aguascalientes",
                       ("Sindicato Único de Trabajadores de Ensambladora Hidrocálida",),
                       "CFCRL-CCT-AGS-2023-00295", L.LEGITIMATED),
    "nuevo_leon": ("Arneses Cumbres – Planta Apodaca", f"Arneses y Sistemas Cumbres, {SA}",
                   "U.S. auto-parts supplier", S.AUTO_PARTS, St.NLE, "Apodaca", (),
                   "CFCRL-CCT-NL-2019-00431 (rechazado en la consulta de 2023)", L.REJECTED),
    "juarez": ("Frenos Paso del Norte – Planta Juárez", f"Frenos Paso del Norte, {SRL}",
               "Korean-owned brake supplier", S.AUTO_PARTS, St.CHH, "Ciudad Juárez",
               ("Sindicato de Obreros de la Industria Maquiladora de Juárez",
                "Coalición de trabajadores independientes (en formación)"),
               "CFCRL-CCT-CHIH-2026-00087", L.PENDING),
    "queretaro_parts": ("Transmisiones del Marqués", f"Transmisiones del Marqués, {SA}",
                        "Italian-owned drivetrain supplier", S.AUTO_PARTS, St.QUE, "El Marqués",
                        ("Sindicato de Trabajadores Metalmecánicos de Querétaro",),
                        "CFCRL-CCT-QRO-2022-00604", L.LEGITIMATED),
    "jalisco": ("Ensambles Electrónicos de Occidente – El Salto",
                f"Ensambles Electrónicos de Occidente, {SA}",
                "Taiwanese-owned contract electronics maker", S.ELECTRONICS, St.JAL, "El Salto",
                ("Sindicato de la Industria Electrónica de Jalisco",),
                "CFCRL-CCT-JAL-2022-01388", L.LEGITIMATED),
    "tijuana": ("Pantallas del Pacífico – Planta Tijuana", f"Pantallas del Pacífico, {SA}",
                "Japanese-owned consumer electronics maker", S.ELECTRONICS, St.BCN, "Tijuana",
                ("Coalición de Trabajadores de Pantallas del Pacífico",),
                "CFCRL-CCT-BC-2026-00112", L.PENDING),
    "tehuacan": ("Confecciones Sierra Negra", f"Confecciones Sierra Negra, {SA}",
                 "Mexican-owned denim maker supplying U.S. brands", S.APPAREL, St.PUE,
                 "Tehuacán", (), "", L.NOT_REGISTERED),
    "yucatan": ("Maquiladora Textil Peninsular", f"Textil Peninsular, {SA}",
                "Mexican-owned supplier of U.S. apparel brands", S.APPAREL, St.YUC, "Umán",
                ("Sindicato de Trabajadores de la Costura de Yucatán",),
                "CFCRL-CCT-YUC-2022-00233", L.LEGITIMATED),
    "aerospace": ("Aeroestructuras del Centro – Planta Colón", f"Aeroestructuras del Centro, {SA}",
                  "Canadian-owned aerostructures maker", S.AEROSPACE, St.QUE, "Colón",
                  ("Sindicato de Trabajadores de la Industria Aeroespacial de Querétaro",),
                  "CFCRL-CCT-QRO-2023-00871", L.LEGITIMATED),
    "tire": ("Neumáticos Tangamanga – Planta San Luis Potosí", f"Neumáticos Tangamanga, {SRL}",
             "U.S.-owned tire manufacturer", S.RUBBER_TIRES, St.SLP, "San Luis Potosí",
             ("Sindicato Independiente de Trabajadores de Neumáticos Tangamanga",),
             "CFCRL-CCT-SLP-2019-00208 (CCT de empresa, terminado)", L.NOT_REGISTERED),
    "sinaloa": ("Agroexportadora Valle de Culiacán – Campo El Palmito",
                "Agroexportadora Valle de Culiacán, S.P.R. de R.L.",
                "Mexican grower-exporter of tomato and bell pepper", S.AGRICULTURE, St.SIN,
                "Navolato", ("Sindicato de Jornaleros Agrícolas de Sinaloa",),
                "CFCRL-CCT-SIN-2022-00951", L.LEGITIMATED),
    "zacatecas": ("Minera Cerro Alto – Unidad Mazapil", f"Minera Cerro Alto, {SA}",
                  "Canadian-owned mining company", S.MINING, St.ZAC, "Mazapil",
                  ("Sección local de un sindicato nacional minero",),
                  "CFCRL-CCT-ZAC-2021-00140", L.LEGITIMATED),
}  # fmt: skip
HULE = "Contrato-Ley de la Industria de la Transformación del Hule en Productos Manufacturados"
# --- cases -------------------------------------------------------------------------------

CASE_SUMMARY = {
    "german": (
        "Petición presentada por el sindicato independiente de la planta con apoyo de una "
        "organización sindical de EE. UU. Alega que diez trabajadores fueron despedidos entre "
        "septiembre y octubre de 2022 por organizar asambleas y promover la consulta de "
        "legitimación del contrato colectivo.\n\n"
        "México aceptó revisar el caso. El plan de reparación acordado incluye la reinstalación "
        "de ocho trabajadores con pago de salarios caídos (los otros dos aceptaron una "
        "indemnización y no pidieron volver), capacitación a trabajadores y mandos sobre la "
        "nueva legislación de libertad sindical y negociación colectiva, una declaración de "
        "neutralidad, lineamientos de conducta y una política de cero tolerancia.\n\n"
        "Seguimos en monitoreo: la política de cero tolerancia se prueba con los casos reales "
        "de hostigamiento que se reporten, no con el documento firmado."
    ),
    "tire": (
        "Petition alleging that the plant never applied the rubber industry's sector-wide "
        "agreement (Contrato-Ley de la Industria de la Transformación del Hule en Productos "
        "Manufacturados) and instead imposed its own CBA, signed with a union that did not "
        "represent the workers and that most of them had never heard of.\n\n"
        "Mexico agreed to a remediation plan: the company pays back pay for the difference "
        "between what workers were paid and what the contrato-ley required, moves everyone to "
        "the contrato-ley wage scale, and grants the benefits it provides. The company CBA was "
        "terminated.\n\n"
        "Back pay and the new wage scale are verified. Some benefits (vacation premium, savings "
        "fund) are still being paid in installments; we follow them on each visit."
    ),
    "brakes": (
        "Petición recibida de una coalición de trabajadores y una ONG de Ciudad Juárez. Alega "
        'que la empresa despidió a cuatro trabajadores que hacían campaña por el "no" en la '
        "consulta de aprobación del nuevo contrato colectivo, y que supervisores acompañaron a "
        "trabajadores hasta la mesa de votación. Aún no hay reinstalación ni respuesta de la "
        "empresa. En revisión por el Comité Interinstitucional; falta corroborar fechas de los "
        "despidos con las constancias del CFCRL."
    ),
}

# --- visits: (title, observations, findings) -------------------------------------------

VISIT_TEXT = {
    "german_2025": (
        "Seguimiento RRM – planta de ensamble (Puebla)",
        "Reunión con el comité ejecutivo del sindicato independiente y, por separado, con "
        "Recursos Humanos y el área jurídica. Recorrido por las áreas comunes; la declaración "
        "de neutralidad está publicada en español en los comedores y en los tableros de avisos "
        "de las tres naves.",
        "Los ocho trabajadores reinstalados están en nómina y en sus puestos originales o "
        "equivalentes. El sindicato confirma el pago de salarios caídos. La capacitación a "
        "mandos medios va en 70 %; falta el turno nocturno.",
    ),
    "german_2026": (
        "RRM follow-up – assembly plant, conduct guidelines",
        "Met the union's executive committee and two line supervisors who attended the "
        "training. The zero-tolerance policy is posted and HR shared an anonymized log of two "
        "complaints filed since January.",
        "Both complaints were investigated within the company's own 30-day window; one "
        "supervisor was suspended. Workers we met know the policy exists but not how to file "
        "a complaint without going through their supervisor.",
    ),
    "tire_2025": (
        "Seguimiento RRM – planta llantera, San Luis Potosí",
        "Reunión con la nueva representación sindical y con la gerencia de planta. Revisamos "
        "con el sindicato el tabulador del contrato-ley del hule frente a los recibos de "
        "nómina de marzo y abril (muestra que ellos eligieron).",
        "El pago retroactivo se hizo en dos exhibiciones y coincide con el cálculo acordado. "
        "Los salarios ya siguen el tabulador del contrato-ley. Pendientes: prima vacacional y "
        "fondo de ahorro.",
    ),
    "tire_2026": (
        "Tire plant – contrato-ley benefits check",
        "Short visit with the union's secretary general and the plant's payroll lead. Workers "
        "hired in 2026 are on the contrato-ley wage scale from day one.",
        "Savings fund is now paid. The vacation premium for 2024 is paid; 2025 is scheduled for "
        "December. The union wants a copy of the company's payroll audit.",
    ),
    "guanajuato": (
        "Monitoring – light-vehicle plant, Silao",
        "Met the independent union that holds the CBA and, off-site, a group of workers from "
        "the second shift. Wage negotiation for 2026 closed in July.",
        "No reports of retaliation. The losing union still posts flyers at the bus stops; "
        "workers see it as noise, not pressure.",
    ),
    "nuevo_leon": (
        "Monitoreo – arneses, Apodaca",
        "Reunión con trabajadores fuera de la planta, en el local de una organización aliada. "
        "Tras el rechazo del contrato colectivo en la consulta de 2023, no hay contrato vigente "
        "y dos agrupaciones buscan afiliados.",
        "Los trabajadores no han recibido copia de ningún documento sindical. Reportan que "
        'Recursos Humanos pregunta en entrevistas de ingreso si la persona "tiene sindicato".',
    ),
    "juarez": (
        "Monitoring – brake components plant, Ciudad Juárez",
        "Off-site meeting with workers and an NGO in Ciudad Juárez, two weeks before the vote "
        "on the new CBA. One worker asked us not to record her interview and later withdrew "
        "her consent entirely.",
        "Consistent accounts of supervisors asking how people intend to vote. Dismissals of "
        "four organizers in August and September; dates to be checked against CFCRL records.",
    ),
    "jalisco": (
        "Grant monitoring – worker-voice training, El Salto",
        "Observed a Saturday session of the grantee's training on union democracy for "
        "electronics workers (34 participants, 21 women). Materials in plain Spanish, with a "
        "module on how a CBA vote works.",
        "Strong delivery. Attendance drops after the third session; the grantee is piloting "
        "WhatsApp reminders. Pre/post test results were shared on paper only.",
    ),
    "tijuana": (
        "Monitoreo – pantallas, Tijuana",
        "Reunión con el comité de la coalición de trabajadores y, por separado, con la gerencia "
        "de relaciones laborales. La consulta de aprobación del nuevo contrato está pendiente "
        "ante el CFCRL.",
        "La empresa afirma que dará las facilidades de la consulta. Los trabajadores temen que "
        "se repita la votación en horario extra. Sin evidencia hasta ahora.",
    ),
    "tehuacan": (
        "Monitoreo de subvención – confección, Tehuacán",
        "Visitamos el taller de derechos laborales del proyecto en una comunidad de la Sierra "
        "Negra. Parte del grupo habla náhuatl; el proyecto trajo intérprete.",
        "El material en náhuatl existe solo en audio. Las trabajadoras identifican el derecho a "
        "votar su contrato, pero no saben si su planta tiene uno. No encontramos el CCT en el "
        "registro público.",
    ),
    "yucatan": (
        "Monitoring – apparel plant, Umán",
        "Met the union delegate and three sewing-line workers after their shift. The plant "
        "works on U.S. brand orders; production targets rose in May.",
        "Workers say overtime is paid but assigned without notice. No union-related issues raised.",
    ),
    "aerospace": (
        "Stakeholder meeting – aerostructures plant, Colón",
        "Meeting with HR leadership and the union at the company's request, to present their "
        "new grievance procedure.",
        "Procedure is reasonable on paper. We suggested adding a channel that does not go "
        "through the direct supervisor.",
    ),
    "sinaloa": (
        "Monitoreo de subvención – jornaleros, Navolato",
        "Visita de tres días con el equipo del proyecto. Reuniones con jornaleras y jornaleros "
        "en el albergue del campo y en la colonia; muchas personas vienen de Guerrero y Oaxaca "
        "para la temporada.",
        "Alta rotación y pago por destajo. Varias personas no saben si están inscritas en el "
        "IMSS. El módulo de orientación del proyecto funciona bien los domingos.",
    ),
    "zacatecas": (
        "Monitoreo – unidad minera, Mazapil",
        "Reunión con la sección sindical y con personal de seguridad industrial. Una parte del "
        "trabajo de mina la hacen contratistas.",
        "Dudas sobre si los contratistas tienen registro REPSE y si sus trabajadores reciben "
        "reparto de utilidades. Borrador: falta revisar documentos que enviará la empresa.",
    ),
    "aguascalientes": (
        "Grant monitoring – conciliation workshop, Aguascalientes",
        "Observed a workshop of the conciliation-center project for union delegates and HR "
        "staff of the assembly plant. Met the state conciliation center's director.",
        "Good participation from both sides. The center asks for help with its case-management "
        "system. Minutes and the attendance summary are attached.",
    ),
}

# --- interviews: place, role details, consent scope, risk notes, safe-contact notes ---------

INTERNAL = "Uso interno de agregados y OTLA; sin citas textuales en informes"
BY_ROLE = "May be quoted by role"
INTERVIEW_CONTEXT = {
    "colibri": ("Local del sindicato", "Línea de pintura, 11 años en la planta", INTERNAL,
                "Reinstalado; sigue con el mismo supervisor.",
                "Solo a través del secretario del sindicato; no llamar en horario de trabajo."),
    "worker_a3": ("Union hall", "Assembly line, second shift",
                  "Internal use; may be summarized for HQ without details", "",
                  "Through the union office."),
    "ceiba": ("Oficina del sindicato", "Delegado de vulcanizado",
              "Puede citarse sin nombre en informes a HQ", "", "Por el correo del sindicato."),
    "worker_t7": ("Cafetería cerca de la planta", "Vulcanizado, desde 2021", INTERNAL, "",
                  "Por medio del delegado sindical."),
    "jacaranda": ("Salón comunitario, con el equipo del proyecto", "Costurera",
                  "Uso interno; no compartir con la empresa ni con autoridades locales",
                  "Comunidad pequeña: una cita textual podría identificarla.",
                  "Solo a través de la promotora del proyecto; no llamar ni enviar mensajes."),
    "garza": ("NGO office, Ciudad Juárez", "Final assembly",
              "Internal use only until the vote; ask her again before sharing anything",
              "A relative works at the same plant; she thinks HR keeps a list of organizers.",
              "Only through the NGO caseworker; never call or text her directly."),
    "manager_m2": ("Plant meeting room", "HR director", BY_ROLE, "", ""),
    "tule": ("Albergue del campo, con promotoras del proyecto", "Jornalera, corte de tomate",
             "Uso interno; resúmenes anónimos para HQ", "Vive en el albergue de la empresa.",
             "Por medio de las promotoras del proyecto, los domingos."),
    "official_o1": ("State conciliation center", "Director", BY_ROLE, "", ""),
    "mezquite": ("Llamada telefónica", "Operador de maquinado, turno nocturno", INTERNAL, "",
                 "Él llama; no dejar mensajes de voz."),
}  # fmt: skip

# Consent given without quotes: the notes are kept, no report prints them.
NO_QUOTES = frozenset({"colibri", "worker_t7", "mezquite"})
# What the attaché wrote for shareable reports: nothing that points to a person.
SHARING_SUMMARIES = {
    "worker_a3": "Workers say the company's freedom-of-association training was the first time "
    "they heard they could choose their union; the union is now discussed openly.",
    "ceiba": "Los delegados confirman el pago retroactivo en dos exhibiciones y la aplicación "
    "del contrato-ley del hule en la planta.",
    "manager_m2": "Management described the neutrality statement and the training calendar.",
    "tule": "Las jornaleras describen el pago por peso y dudas sobre su inscripción al IMSS.",
}

INTERVIEW_NOTES = {
    "colibri": (
        "Trabajador con 11 años en la planta, línea de pintura. Fue uno de los diez despedidos "
        "en octubre de 2022 y uno de los ocho con reinstalación. Regresó en marzo de 2023 a su "
        "misma línea, en el mismo turno.\n\n"
        "Dice que el pago de salarios caídos llegó completo, pero tres meses después de lo "
        'acordado. Al regresar, su supervisor le dijo "ya sabes cómo está la cosa"; desde la '
        "capacitación, ese supervisor ya no le habla del sindicato.\n\n"
        "Le preocupa la revisión salarial: cree que la empresa quiere ligar el aumento a "
        "productividad para dividir a los turnos."
    ),
    "worker_a3": (
        "Interview held in Spanish; notes in English. Assembly line, second shift, hired 2019. "
        'Took the freedom-of-association training in February: "first time anybody from the '
        'company told us we could choose."\n\n'
        "Knows about the zero-tolerance policy from the posters. Would not file a complaint "
        "through her supervisor; would go to the union first.\n\n"
        "Says the climate has changed: people talk about the union at lunch now. Asked whether "
        'the U.S. government will "keep watching" after the case closes.'
    ),
    "ceiba": (
        "Delegado sindical desde 2024. Antes del caso nadie conocía el contrato de la empresa; "
        '"nos enteramos de que teníamos sindicato cuando nos dijeron que ya no".\n\n'
        "Confirma el pago retroactivo en dos exhibiciones. Explica que el contrato-ley del hule "
        "les da un tabulador más alto y prestaciones que nunca habían recibido.\n\n"
        "Pide que sigamos viniendo: la empresa cumple cuando sabe que hay visita."
    ),
    "worker_t7": (
        "Trabajador de vulcanizado, contratado en 2021. Recibió su pago retroactivo y su "
        "salario subió con el tabulador del contrato-ley.\n\n"
        "Dice que la prima vacacional de 2025 todavía no llega y que en nómina le dicen que "
        '"en diciembre". No ha tenido problemas con supervisores por el caso.'
    ),
    "jacaranda": (
        "Entrevista en náhuatl con intérprete del proyecto; notas en español. Costurera, "
        "trabaja en la planta desde hace cuatro años y viaja dos horas diarias desde su "
        "comunidad.\n\n"
        "No sabe si hay sindicato. Nunca ha votado un contrato. Cuando faltó por una consulta "
        "médica le descontaron el día y un bono de asistencia. Dice que las metas de "
        "producción suben cada temporada.\n\n"
        "Pidió que no la contactemos en la planta ni por teléfono; solo a través del proyecto."
    ),
    "garza": (
        'Worker in final assembly, part of the group campaigning for a "no" vote on the new '
        "CBA. Says two of the four dismissed organizers were told their contracts had simply "
        "ended, although they had been there for over a year.\n\n"
        "Her supervisor asked her twice how she would vote. She thinks the company has a list "
        "of the organizers.\n\n"
        "She still works there and wants to keep campaigning until the vote."
    ),
    "manager_m2": (
        "HR director. Presented the new grievance procedure: complaints go to the supervisor, "
        "then HR, then a joint committee with the union.\n\n"
        "Open to adding an anonymous channel. Says the union is consulted on overtime "
        "schedules. No concerns about our visit."
    ),
    "tule": (
        "Jornalera de Guerrero, tercera temporada en el campo. Trabaja por destajo en corte de "
        "tomate. Vive en el albergue con sus dos hijos.\n\n"
        "No sabe si está inscrita en el IMSS; no le dieron copia de contrato. Conoce al "
        'sindicato solo porque le descuentan una cuota. Dice que la pesadora "siempre marca '
        'de menos".\n\n'
        "El módulo del proyecto le ayudó a sacar su CURP. Prefiere hablar con las promotoras "
        "que con la empresa."
    ),
    "official_o1": (
        "Director of the state conciliation center. Caseload up 40 % since the center opened; "
        "most cases are individual dismissals settled in the first hearing.\n\n"
        "Asked for training on collective disputes and help with the case-management system. "
        "Welcomed the project workshops."
    ),
    "mezquite": (
        "Entrevista por teléfono, a petición del trabajador. Operador de maquinado, turno "
        "nocturno. El contrato fue legitimado en 2023 y el sindicato firmó la revisión "
        "salarial en abril.\n\n"
        "Se queja de que el sindicato no informa: nadie vio el texto antes de la firma. No "
        "reporta represalias. Quiere saber cómo pedir copia del contrato al CFCRL."
    ),
}

# --- tips: (subject, summary) ----------------------------------------------------------

TIP_TEXT = {
    "german": (
        "Despidos por organizar asamblea sindical",
        "Reporte a la línea directa: diez trabajadores despedidos en una planta de ensamble de "
        "Puebla después de convocar a una asamblea sobre la consulta de legitimación.",
    ),
    "tire": (
        "Tire plant not paying the rubber-industry contrato-ley",
        "A partner organization reports that a tire plant in San Luis Potosí pays below the "
        "contrato-ley wage scale under a CBA workers never voted on.",
    ),
    "juarez": (
        "Presión para votar en la consulta del contrato",
        "Denuncia anónima: supervisores preguntan a trabajadores cómo votarán en la consulta "
        "de aprobación del contrato colectivo.",
    ),
    "tijuana": (
        "Unpaid overtime on the night shift",
        "Email from a worker: overtime hours during the holiday peak were paid as regular "
        "time. No union rights issue raised; referred to the Ministry of Labor (STPS).",
    ),
    "sinaloa": (
        "Jornaleros sin alta en el IMSS",
        "Reporte a la línea directa: jornaleros de temporada sin inscripción en el IMSS y "
        "descuentos de cuota sindical sin afiliación.",
    ),
    "nuevo_leon": (
        "Preguntas sobre sindicato en entrevistas de ingreso",
        "En persona, durante visita: Recursos Humanos preguntaría a candidatos si pertenecen "
        "a un sindicato.",
    ),
    "merida": (
        "Anonymous report, sewing plant near Mérida",
        'Hotline report about forced overtime at "a sewing plant near Mérida". No company, '
        "no contact, no dates; closed for lack of information.",
    ),
    "zacatecas": (
        "Contratistas sin reparto de utilidades",
        "Mensaje en redes sociales reenviado por una ONG: trabajadores de contratistas en una "
        "mina de Mazapil no reciben reparto de utilidades.",
    ),
}

# --- grants ------------------------------------------------------------------------------

GRANT_OBJECTIVES = {
    "voice": (
        "Strengthen workers' ability to exercise freedom of association and to vote freely on "
        "their CBAs in the auto, auto-parts and electronics sectors: training on union "
        "democracy, plain-language materials, and a network of worker promoters."
    ),
    "justice": (
        "Fortalecer a los centros de conciliación y tribunales laborales: formación de "
        "conciliadores y personal jurisdiccional, sistemas de gestión de expedientes y "
        "protocolos para conflictos colectivos."
    ),
    "voices": (
        "Acercar los derechos laborales a trabajadoras de la confección y jornaleros agrícolas, "
        "con materiales en español y lenguas indígenas, módulos de orientación y "
        "acompañamiento para denuncias."
    ),
}

# --- attachments -------------------------------------------------------------------------

MINUTA = """MINUTA DE REUNIÓN
Planta llantera, San Luis Potosí - 21 de mayo de 2025

Asistentes: dos agregados laborales (Embajada de EE. UU.), secretario general y secretaria
de trabajo del sindicato, gerente de planta, jefa de nómina.

1. El sindicato presentó su muestra de recibos de nómina (marzo y abril de 2025).
2. Se comparó el salario pagado con el tabulador del contrato-ley del hule: coincide.
3. Pago retroactivo: cubierto en dos exhibiciones (enero y abril de 2024).
4. Pendiente: prima vacacional y fondo de ahorro conforme al contrato-ley.

Acuerdos:
- La empresa enviará el calendario de pago de prestaciones antes del 30 de junio.
- Próxima reunión de seguimiento en el segundo semestre.
"""

ATTENDANCE_CSV = """group,participants,women
Union delegates,18,7
HR and supervisors,12,5
State conciliation center staff,6,4
"""
