"""Shell commands: `flask create-organiser` and `flask demo`."""
import click

from .extensions import db
from .services import accounts, workshops
from .services.errors import DomainError


def register(app) -> None:
    @app.cli.command("create-organiser")
    @click.option("--email", prompt=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_organiser(email, password):
        """Create an organiser account (email + password)."""
        try:
            organiser = accounts.create_organiser(email, password)
            db.session.commit()
        except DomainError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Organiser {organiser.email} created. Log in at /login.")

    @app.cli.command("erase-expired")
    @click.option("--days", type=int, default=lambda: app.config["PERSONAL_DATA_DAYS"],
                  show_default="PERSONAL_DATA_DAYS", help="Quiet days after closing.")
    def erase_expired(days):
        """Erase the personal data of events closed and quiet for DAYS days (run daily)."""
        from .services import privacy
        events = privacy.expired_events(days)
        for event in events:
            count = privacy.erase_personal_data(event)
            click.echo(f"Erased the personal data of “{event.title}” ({count} attendees).")
        db.session.commit()
        if not events:
            click.echo("Nothing to erase.")
        # Every run, erasing or not: the old bytes of what was erased, edited or withdrawn
        # (an opt-out) leave the database files, also when an erase's own try was busy.
        if not privacy.scrub_storage():
            click.echo("The database files could not be cleaned of old row versions yet "
                       "(busy, see the log); the next run tries again.", err=True)

    @app.cli.command("demo")
    @click.option("--event", "event_title", default="Grow your Region 2026")
    @click.option("--full", is_flag=True,
                  help="Run three workshops to the end (ideas, themes, votes, conclusions).")
    def demo(event_title, full):
        """Create a demo event with two workshops and print their links."""
        if full:
            from .demo import build
            event, rooms = build(event_title)
            db.session.commit()
            click.echo(f"Demo event “{event.title}” (id {event.id}) with {len(rooms)} closed "
                       f"workshops. Roadmap: /organiser/events/{event.id}/roadmap")
            return
        event = workshops.create_event(event_title)
        created = [
            workshops.create_workshop(
                event, "Interregional value chains",
                "How can clusters multiply the connections between regional value chains?"),
            workshops.create_workshop(
                event, "Smart specialisation in practice",
                "What would help your region deploy its smart specialisation strategy?",
                vote_budget=3),
        ]
        db.session.commit()
        for workshop in created:
            click.echo(f"{workshop.title}: join code {workshop.code}  "
                       f"phone /j/{workshop.code}  projector /p/{workshop.screen_token}  "
                       f"facilitator /f/{workshop.facilitator_token}")
